import assert from 'node:assert/strict';
import { loadPlaybook } from '../../runner/src/cli/load.js';
import { playbook } from '../helpers/paths.js';

describe('shipped playbooks', () => {
  for (const name of ['ha.yaml', 'network.yaml']) {
    it(`${name} validates with 0 diagnostics`, () => {
      const loaded = loadPlaybook(playbook(name), {});
      assert.deepEqual(loaded.lines, []);
      assert.equal(loaded.analysis.kind, 'playbook');
      assert.ok(loaded.analysis.plays.every((p) => p.hosts.length > 0), 'every play has hosts');
    });
  }

  it('ha.yaml resolves the seed addresses into the HAProxy servers', () => {
    const { analysis } = loadPlaybook(playbook('ha.yaml'), {});
    const play = analysis.plays.find((p) => p.play.tasks.some((t) => t.module === 'haproxy'))!;
    const task = play.play.tasks.find((t) => t.module === 'haproxy')!;
    const params = analysis.params.get(`${play.play.index}|t${task.index}|lb1`) as { backends: { servers: { address: string }[] }[] };
    assert.deepEqual(
      params.backends[0].servers.map((s) => s.address),
      ['192.168.10.192:61616', '192.168.10.193:61616'],
    );
  });

  it('the example inventory validates on its own', () => {
    const loaded = loadPlaybook(playbook('inventory.example.yaml'), {});
    assert.equal(loaded.analysis.kind, 'inventory');
    assert.deepEqual(loaded.lines, []);
  });
});

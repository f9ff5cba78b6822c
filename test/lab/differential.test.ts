import assert from 'node:assert/strict';
import { connectSsh } from '../../runner/src/transport/ssh.js';
import type { Transport } from '../../runner/src/transport/transport.js';
import { labUp, type Lab } from '../../lab/lab.js';
import { HOSTS } from '../differential/generate.js';
import { kept, report, runCases } from '../differential/runner.js';

/** Which lab host plays each host of the generated runbooks. */
const PLAYED_BY: Record<string, string> = { h1: 'broker1', h2: 'broker2' };

describe('lab: the differential test over real sshd', function () {
  this.timeout(300_000);
  let lab: Lab;
  before(async () => {
    lab = await labUp();
  });
  after(async () => {
    await lab?.down();
  });

  it('50 random runbooks, dry-run then run over SSH: every result of the dry-run is what the real run did', async () => {
    process.env.AMQ_DIFF_PW ??= 'diff-pw-Secret1';
    const open: (Transport & { end(): Promise<void> })[] = [];
    const s = await runCases({
      seed: 20261204,
      count: 50,
      lanes: 2,
      makeLane: async () => {
        const transports: Record<string, Transport & { end(): Promise<void> }> = {};
        for (const h of HOSTS) {
          transports[h] = kept(await connectSsh(lab.sshOptions(PLAYED_BY[h]!)));
          open.push(transports[h]!);
        }
        const inventory = (roots: Record<string, string>) =>
          `  hosts:\n${HOSTS.map((h) => {
            const o = lab.sshOptions(PLAYED_BY[h]!);
            return `    ${h}: { address: ${o.address}, port: ${o.port}, user: root, identity: ${JSON.stringify(o.identity)}, known_hosts: ${JSON.stringify(o.knownHosts)}, vars: { root: ${JSON.stringify(roots[h])} } }`;
          }).join('\n')}`;
        return { inventory, connect: async (h) => transports[h]! };
      },
    }).finally(() => Promise.all(open.map((t) => t.end())));
    const lines = report(s);
    console.log(`      ${lines[0]}`);
    assert.equal(s.cases, 50);
    assert.deepEqual(s.failures.map((f) => f.index), [], lines.join('\n'));
  });
});

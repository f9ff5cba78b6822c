import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCfgChanges, HAPROXY_HEADER, renderHaproxyCfg, serverLine } from '../../../runner/src/modules/text/haproxy-cfg.js';
import { BROKERS, FORMAT_EXAMPLE, HA_SETUP, haproxyCheck, requireHaproxy } from '../../helpers/haproxy.js';
import { fixture } from '../../helpers/paths.js';

describe('haproxy.cfg renderer (haproxy-cfg)', () => {
  let dir: string;
  before(() => {
    requireHaproxy();
    dir = mkdtempSync(join(tmpdir(), 'haproxy-cfg-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const checkText = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return haproxyCheck(file);
  };

  it('renders the format example exactly (golden file)', () => {
    assert.equal(renderHaproxyCfg(FORMAT_EXAMPLE), readFileSync(fixture('haproxy', 'format-example.cfg'), 'utf8'));
  });

  it('renders the HA setup exactly (golden file)', () => {
    const text = renderHaproxyCfg(HA_SETUP);
    assert.equal(text, readFileSync(fixture('haproxy', 'ha-setup.cfg'), 'utf8'));
    assert.ok(text.startsWith(`${HAPROXY_HEADER}\nglobal\n    log /dev/log local0\n`));
    assert.ok(text.includes('\nbackend console_back\n    mode http\n    balance first\n    option httpchk GET /admin/\n    server broker1 192.168.10.192:8161 check\n'));
  });

  it('the format example passes a real haproxy -c', () => {
    const r = checkText('example.cfg', renderHaproxyCfg(FORMAT_EXAMPLE));
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Configuration file is valid/);
  });

  it('the HA setup passes a real haproxy -c', () => {
    const r = checkText('ha.cfg', renderHaproxyCfg(HA_SETUP));
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Configuration file is valid/);
  });

  it('a server address haproxy cannot parse is refused by haproxy -c', () => {
    const bad = { ...FORMAT_EXAMPLE, backends: [{ ...BROKERS, servers: [{ ...BROKERS.servers[0], address: '192.168.10.192:openwire' }] }] };
    const r = checkText('bad-address.cfg', renderHaproxyCfg(bad));
    assert.equal(r.code, 1);
    assert.match(r.out, /invalid character 'o' in port number 'openwire'/);
  });

  it('an http frontend sending to a tcp backend is refused by haproxy -c', () => {
    const bad = { ...HA_SETUP, backends: [BROKERS, { ...HA_SETUP.backends[1], mode: 'tcp' }] };
    const r = checkText('bad-mode.cfg', renderHaproxyCfg(bad));
    assert.equal(r.code, 1);
    assert.match(r.out, /http frontend 'console_front' .* tries to use incompatible tcp backend 'console_back'/);
  });

  it('writes the server options in haproxy order', () => {
    assert.equal(serverLine({ name: 's', address: 'h:1', check: false, backup: true }), 'server s h:1 backup');
    assert.equal(serverLine({ name: 's', address: 'h:1', check: true, inter: '1s', fall: 2, rise: 1, backup: true }), 'server s h:1 check inter 1s fall 2 rise 1 backup');
  });

  it('refuses a value with a line break, which would inject a line', () => {
    assert.throws(() => renderHaproxyCfg({ ...FORMAT_EXAMPLE, global: ['maxconn 10\nstats socket /tmp/x'] }), /global holds a line break/);
  });

  it('names the sections that changed', () => {
    const ex = renderHaproxyCfg(FORMAT_EXAMPLE);
    const ha = renderHaproxyCfg(HA_SETUP);
    assert.deepEqual(describeCfgChanges(ex, ha), ['frontend console_front: added', 'backend console_back: added']);
    const inter = renderHaproxyCfg({ ...FORMAT_EXAMPLE, backends: [{ ...BROKERS, servers: [{ ...BROKERS.servers[0], inter: '1s' }, BROKERS.servers[1]] }] });
    assert.deepEqual(describeCfgChanges(ex, inter), ['backend activemq_back: changed']);
    assert.deepEqual(describeCfgChanges(null, ex), ['4 sections written (new file)']);
    assert.deepEqual(describeCfgChanges(ex, ex), []);
  });
});

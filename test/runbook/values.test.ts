import assert from 'node:assert/strict';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { formatDiagnostic } from '../../runner/src/runbook/diagnostics.js';

const INVENTORY = 'hosts: { b1: { address: 10.0.0.1 }, b2: { address: 10.0.0.2 } }\n';

function runbook(task: string, vars = ''): string {
  return `name: t\ninventory: inv.yaml\n${vars ? `vars:\n${vars}` : ''}plays:\n  - name: p\n    hosts: all\n    tasks:\n      - name: x\n${task.replace(/^/gm, '        ').trimEnd()}\n`;
}

/** The diagnostics of one task (and optional playbook vars) on two hosts, as `LINE:COL severity message`. */
function diagnose(task: string, vars = ''): string[] {
  const a = analyze(runbook(task, vars), { path: '/t/pb.yaml', readFile: (p) => (p === '/t/inv.yaml' ? INVENTORY : null) });
  return a.diagnostics.map((d) => {
    const { line, col } = a.doc.lines.linePos(d.span.start);
    return `${line}:${col} ${d.severity} ${d.message}`;
  });
}

/** LINE:COL of the first `needle` of the task (from the `from`th character of the task) in the whole runbook. */
function at(task: string, needle: string, from = 0): string {
  const text = runbook(task);
  const offset = text.indexOf(task.replace(/^/gm, '        ').trimEnd()) + 8 + task.indexOf(needle, from);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('the value checker: one walk for written values and values from expressions', () => {
  it('an unknown field reads the same written out and through a variable', () => {
    const written = diagnose('activemq_broker: { conf: /x.xml, management_connector: { creat: true } }');
    const viaVar = diagnose('activemq_broker: { conf: /x.xml, management_connector: "{{ mc }}" }', '  mc: { creat: true }\n');
    const message = (lines: string[]) => lines.map((l) => l.replace(/^\S+ /, ''));
    assert.deepEqual(written, [`${at('activemq_broker: { conf: /x.xml, management_connector: { creat: true } }', 'creat')} error unknown field 'creat' in management_connector`]);
    assert.deepEqual(message(viaVar), message(written));
  });

  it('missing fields are one diagnostic, written out or through a variable', () => {
    const task = 'haproxy: { backends: [{ mode: tcp }] }';
    const viaVar = diagnose('haproxy: { backends: "{{ bs }}" }', '  bs: [{ mode: tcp }]\n');
    assert.deepEqual(diagnose(task).map((l) => l.replace(/^\S+ /, '')), ["error backends[0] is missing 'name', 'servers'"]);
    assert.deepEqual(viaVar.map((l) => l.replace(/^\S+ /, '')), ["error backends[0] is missing 'name', 'servers'"]);
  });

  it('a free-form value and an empty module are checked like a mapping', () => {
    assert.deepEqual(diagnose('service: activemq'), [`${at('service: activemq', 'service')} error service needs state, enabled or daemon_reload`]);
    assert.deepEqual(diagnose('mount:'), [`${at('mount:', 'mount')} error module 'mount' is missing 'path', 'src'`]);
    assert.deepEqual(diagnose('command: "{{ nope }}"'), [`${at('command: "{{ nope }}"', 'nope')} error undefined variable 'nope'`]);
  });
});

describe('constraints declared in the specs', () => {
  const cases: [task: string, expect: string, where: string][] = [
    ['line: { path: /etc/x, line: "a\\nb" }', 'error line must be a single line', '"a\\nb"'],
    ['line: { path: /etc/x }', "error line is required when state is 'present'", 'line'],
    ['line: { path: /etc/x, state: absent }', "error line needs line or match when state is 'absent'", 'line'],
    ['line: { path: /etc/x, line: a, insert_after: "(" }', 'error insert_after is not a valid regular expression: /(/: Unterminated group', '"("'],
    ['service: { name: a, state: started, pidfile: /run/a.pid }', "error pidfile is only used when manager is 'command'", 'pidfile'],
    ['service: { name: a, manager: command, state: started, pidfile: /run/a.pid }', "error start is required when manager is 'command' and state is 'started', 'restarted' or 'reloaded'", 'service'],
    ['service: { name: a, manager: command, state: stopped }', "error service needs pidfile or status when manager is 'command'", 'service'],
    ['service: { name: a, manager: command, state: stopped, pidfile: /p, enabled: true }', "error enabled is only used when manager is 'auto', 'systemd' or 'sysv'", 'enabled'],
    ['activemq_broker: { conf: /x.xml, lock_poll: 0 }', 'error lock_poll must be at least 1, not 0', '0'],
    ['activemq_broker: { conf: /x.xml, transports: [openwire, stomp, openwire] }', "error transports: 'openwire' is listed twice", 'openwire ]'],
    ['activemq_ha_check: { brokers: ["a:1"] }', 'error brokers needs at least 2 items', '["a:1"]'],
    ['file: { path: /etc/motd }', 'error file needs content or src', 'file'],
  ];
  for (const [task, expect, where] of cases) {
    it(expect.replace(/^error /, ''), () => {
      const spot = where === 'openwire ]' ? at(task, 'openwire', task.indexOf('stomp')) : at(task, where);
      assert.deepEqual(diagnose(task), [`${spot} ${expect}`]);
    });
  }

  it('a constraint is shown by amq-run modules and the hover', async () => {
    const { renderModuleDoc } = await import('../../runner/src/modules/lib/docs.js');
    const { catalog } = await import('../../runner/src/modules/index.js');
    const doc = renderModuleDoc(catalog.get('service')!);
    assert.match(doc, /`start` \(string; required when manager is 'command' and state is 'started', 'restarted' or 'reloaded'; only when manager is 'command'\)/);
    assert.match(doc, /one of state, enabled or daemon_reload is needed/);
    assert.match(renderModuleDoc(catalog.get('activemq_broker')!), /`lock_poll` \(int, at least 1\)/);
  });
});

describe('shorthands where the meaning is obvious', () => {
  it('management_connector: false is { create: false }', () => {
    assert.deepEqual(diagnose('activemq_broker: { conf: /x.xml, broker_name: "{{ host.name }}", management_connector: false }'), []);
    assert.deepEqual(diagnose('activemq_broker: { conf: /x.xml, broker_name: "{{ host.name }}", management_connector: maybe }'), [`${at('activemq_broker: { conf: /x.xml, broker_name: "{{ host.name }}", management_connector: maybe }', 'maybe')} error create must be true or false, not 'maybe'`]);
  });

  it('an NFS client written as a host alone gets the default options', () => {
    assert.deepEqual(diagnose('nfs_export: { path: /data, clients: ["10.0.0.0/24", { host: "*", options: [ro] }] }'), []);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { RULES } from '../../runner/src/runbook/rules.js';
import { AMQ_RUN, fixture, ROOT } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
// SARIF 2.1.0's schema is JSON Schema draft 04; ajv-draft-04 is CommonJS.
const Ajv = (require('ajv-draft-04') as { default: new (o: object) => { compile(s: object): ((v: unknown) => boolean) & { errors?: unknown } } }).default;

function amqRun(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [AMQ_RUN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function sarifSchema(): object {
  const file = join(require.resolve('@microsoft/jest-sarif/package.json'), '..', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

describe('amq-run validate: summary, formats, rule ids, suppressions', function () {
  this.timeout(60_000);

  it('prints a one-line summary on success', () => {
    const r = amqRun(['validate', 'playbooks/ha.yaml']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out.trim(), 'ok: 3 plays, 29 tasks, 4 hosts, 0 warnings');
  });

  it('--format json: one object with the summary and every diagnostic with its rule id and range', () => {
    const r = amqRun(['validate', fixture('invalid', '74-unused-variable.yaml'), '--format', 'json']);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.out) as { ok: boolean; summary: { warnings: number; errors: number }; diagnostics: { rule: string; line: number; column: number; severity: string; message: string }[] };
    assert.equal(report.ok, true);
    assert.deepEqual(report.summary, { plays: 1, tasks: 1, hosts: 2, errors: 0, warnings: 2 });
    assert.deepEqual(report.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} [${d.rule}] ${d.message}`), [
      "7:3 warning [unused-variable] variable 'consle_port' is never used",
      "9:3 warning [unused-secret] secret 'admin_password' is never used",
    ]);
  });

  it('--format sarif: valid SARIF 2.1.0, results naming their rules', () => {
    const r = amqRun(['validate', fixture('invalid', '69-connector-port-not-served.yaml'), '--format', 'sarif']);
    assert.equal(r.code, 4);
    const log = JSON.parse(r.out) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(sarifSchema());
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ ...log, version: '2.0.0' }), false, 'the schema check can fail');
    const run = log.runs[0];
    assert.deepEqual(run.results.map((x) => [x.ruleId, x.level, x.locations[0].physicalLocation.region.startLine]), [
      ['amq-secret-readable', 'warning', 11],
      ['amq-network-connector', 'error', 18],
      ['amq-network-connector', 'error', 18],
    ]);
    assert.equal(run.tool.driver.rules[run.results[1].ruleIndex].id, 'amq-network-connector');
  });

  it('a suppression comment silences its rule on its line or on the task below it, and nothing else', () => {
    const r = amqRun(['validate', fixture('suppress', 'silenced.yaml')]);
    assert.equal(r.code, 4);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 2, r.out);
    assert.match(lines[0], /silenced\.yaml:16:67: error: web console would listen on port 61616 of broker1, broker2 and broker3, which transport openwire of task 'Broker' already takes/);
    assert.equal(lines[1], '1 error, 0 warnings');
  });

  it('amq-run rules lists every rule with its sentence', () => {
    const r = amqRun(['rules']);
    assert.equal(r.code, 0);
    for (const [id, sentence] of Object.entries(RULES)) assert.ok(r.out.includes(`${id}`) && r.out.includes(sentence), id);
    assert.match(r.out, /# amq-lint: disable=RULE/);
  });

  it('a bad --format is a usage error', () => {
    const r = amqRun(['validate', 'playbooks/ha.yaml', '--format', 'xml']);
    assert.equal(r.code, 1);
    assert.match(r.err, /--format takes text, json or sarif, not 'xml'/);
  });

});

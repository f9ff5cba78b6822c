import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { loadPlaybook } from '../../runner/src/cli/load.js';
import { describeDiagnostic } from '../helpers/diagnostics.js';
import { fixture } from '../helpers/paths.js';

const dir = fixture('invalid');
const cases = readdirSync(dir).filter((f) => /^\d\d-.*\.yaml$/.test(f)).sort();

describe('invalid runbooks: exact line, column and message', () => {
  it('has at least 40 cases', () => {
    assert.ok(cases.length >= 40, `${cases.length} cases`);
  });
  for (const name of cases) {
    it(name, () => {
      const path = `${dir}/${name}`;
      const expected = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('# expect: '))
        .map((l) => l.slice('# expect: '.length));
      assert.ok(expected.length > 0, 'the case names what it expects');
      const { analysis } = loadPlaybook(path, {});
      assert.deepEqual(analysis.diagnostics.map((d) => describeDiagnostic(analysis, d)), expected);
      for (const d of analysis.diagnostics) {
        assert.ok(d.hint === undefined || d.hint.length > 0);
        assert.ok(d.span.end >= d.span.start);
      }
    });
  }
});

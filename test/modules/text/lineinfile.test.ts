import assert from 'node:assert/strict';
import { editLines, type LineEdit, type LineOutcome } from '../../../runner/src/modules/text/lineinfile.js';

interface Case {
  name: string;
  before: string;
  edit: LineEdit;
  after: string;
  outcome: LineOutcome;
}

const JH = 'JAVA_HOME=/usr/lib/jvm/java-17';

const cases: Case[] = [
  {
    name: 'match replaces the last matching line only',
    before: 'JAVA_HOME=/a\nX=1\nJAVA_HOME=/b\nY=2\n',
    edit: { state: 'present', line: JH, match: /^JAVA_HOME=/ },
    after: `JAVA_HOME=/a\nX=1\n${JH}\nY=2\n`,
    outcome: { action: 'replaced', at: 3 },
  },
  {
    name: 'match on a line that already is the wanted one changes nothing',
    before: `X=1\n${JH}\n`,
    edit: { state: 'present', line: JH, match: /^JAVA_HOME=/ },
    after: `X=1\n${JH}\n`,
    outcome: { action: 'unchanged' },
  },
  {
    name: 'no line matches: the line is appended',
    before: 'X=1\n',
    edit: { state: 'present', line: JH, match: /^JAVA_HOME=/ },
    after: `X=1\n${JH}\n`,
    outcome: { action: 'appended', at: 2 },
  },
  {
    name: 'a line its own match does not match is not added twice',
    before: `X=1\n${JH}\n`,
    edit: { state: 'present', line: JH, match: /^export JAVA_HOME=/ },
    after: `X=1\n${JH}\n`,
    outcome: { action: 'unchanged' },
  },
  {
    name: 'without match an identical line is enough',
    before: `${JH}\nX=1\n`,
    edit: { state: 'present', line: JH },
    after: `${JH}\nX=1\n`,
    outcome: { action: 'unchanged' },
  },
  {
    name: 'without match a similar line does not count',
    before: 'JAVA_HOME=/old\n',
    edit: { state: 'present', line: JH },
    after: `JAVA_HOME=/old\n${JH}\n`,
    outcome: { action: 'appended', at: 2 },
  },
  {
    name: 'insert_after puts the line after the last line that matches it',
    before: '[a]\nk=1\n[b]\nk=2\n[b]\nk=3\nend\n',
    edit: { state: 'present', line: 'new=1', insertAfter: /^\[b\]$/ },
    after: '[a]\nk=1\n[b]\nk=2\n[b]\nnew=1\nk=3\nend\n',
    outcome: { action: 'inserted', at: 6 },
  },
  {
    name: 'insert_after that matches nothing appends',
    before: 'a\n',
    edit: { state: 'present', line: 'b', insertAfter: /^zzz/ },
    after: 'a\nb\n',
    outcome: { action: 'appended', at: 2 },
  },
  {
    name: 'insert_after matching the last line appends',
    before: 'a\nb',
    edit: { state: 'present', line: 'c', insertAfter: /^b$/ },
    after: 'a\nb\nc\n',
    outcome: { action: 'appended', at: 3 },
  },
  {
    name: 'a file without final newline gets one before the appended line',
    before: 'a\nb',
    edit: { state: 'present', line: 'c' },
    after: 'a\nb\nc\n',
    outcome: { action: 'appended', at: 3 },
  },
  {
    name: 'replacing keeps a missing final newline missing',
    before: 'a\nk=1',
    edit: { state: 'present', line: 'k=2', match: /^k=/ },
    after: 'a\nk=2',
    outcome: { action: 'replaced', at: 2 },
  },
  {
    name: 'an empty file gets one terminated line',
    before: '',
    edit: { state: 'present', line: 'a' },
    after: 'a\n',
    outcome: { action: 'appended', at: 1 },
  },
  {
    name: 'a CRLF file: the line is found and a replaced line keeps its CR',
    before: 'a=1\r\nb=1\r\n',
    edit: { state: 'present', line: 'b=2', match: /^b=/ },
    after: 'a=1\r\nb=2\r\n',
    outcome: { action: 'replaced', at: 2 },
  },
  {
    name: 'absent with match removes every matching line',
    before: 'x\n#a\ny\n#b\n',
    edit: { state: 'absent', match: /^#/ },
    after: 'x\ny\n',
    outcome: { action: 'removed', count: 2 },
  },
  {
    name: 'absent with line removes identical lines only',
    before: 'k=1\nk=10\nk=1\n',
    edit: { state: 'absent', line: 'k=1' },
    after: 'k=10\n',
    outcome: { action: 'removed', count: 2 },
  },
  {
    name: 'absent when nothing matches changes nothing',
    before: 'a\nb',
    edit: { state: 'absent', match: /^c/ },
    after: 'a\nb',
    outcome: { action: 'unchanged' },
  },
  {
    name: 'absent removing every line leaves an empty file',
    before: 'a\n',
    edit: { state: 'absent', line: 'a' },
    after: '',
    outcome: { action: 'removed', count: 1 },
  },
  {
    name: 'blank lines in the middle are kept',
    before: 'a\n\nb\n',
    edit: { state: 'present', line: 'c' },
    after: 'a\n\nb\nc\n',
    outcome: { action: 'appended', at: 4 },
  },
];

describe('lineinfile text transform', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = editLines(c.before, c.edit);
      assert.equal(r.text, c.after);
      assert.deepEqual(r.outcome, c.outcome);
      // Applying the same edit to its result changes nothing more.
      assert.deepEqual(editLines(r.text, c.edit), { text: r.text, outcome: { action: 'unchanged' } });
    });
  }
});

import assert from 'node:assert/strict';
import { blockBody, escapeDouble, rawValue, setBlock, setRawValue } from '../../../runner/src/modules/text/shell-vars.js';

const FILE = `# options
ACTIVEMQ_BASE="/var/lib/activemq/$INSTANCE"
ACTIVEMQ_OPTS="-Xms512M -Xmx512M -Dx=1"
export ACTIVEMQ_OUT=/dev/null
`;

describe('shell variable files', () => {
  it('reads a value as the file writes it: inside double quotes, bare, or single quotes made literal', () => {
    assert.equal(rawValue(FILE, 'ACTIVEMQ_BASE'), '/var/lib/activemq/$INSTANCE');
    assert.equal(rawValue(FILE, 'ACTIVEMQ_OUT'), '/dev/null');
    assert.equal(rawValue("A='$x \"y\"'\n", 'A'), '\\$x \\"y\\"');
    assert.equal(rawValue(FILE, 'NOPE'), undefined);
    assert.equal(rawValue('A=1\nA=2\n', 'A'), '2', 'the last assignment wins, as in the shell');
  });

  it('rewrites the last assignment in place (keeping export), every other byte as it was', () => {
    assert.equal(setRawValue(FILE, 'ACTIVEMQ_OPTS', '-Xms1G -Xmx1G -Dx=1'), FILE.replace('-Xms512M -Xmx512M', '-Xms1G -Xmx1G'));
    assert.equal(setRawValue(FILE, 'ACTIVEMQ_OUT', '/var/log/a.out'), FILE.replace('export ACTIVEMQ_OUT=/dev/null', 'export ACTIVEMQ_OUT="/var/log/a.out"'));
    assert.equal(setRawValue(FILE, 'ACTIVEMQ_OPTS', '-Xms512M -Xmx512M -Dx=1'), FILE, 'unchanged when equal');
  });

  it('adds a new variable before a block, or at the end', () => {
    const withBlock = setBlock(FILE, 'guard', 'exit 1\n');
    assert.equal(setRawValue(withBlock, 'NEW', 'v', '# BEGIN guard'), `${FILE}NEW="v"\n# BEGIN guard\nexit 1\n# END guard\n`);
    assert.equal(setRawValue('', 'NEW', 'v'), 'NEW="v"\n');
  });

  it('puts a marked block at the end, replaces it in place, removes it', () => {
    const a = setBlock(FILE, 'guard', 'one\n');
    assert.equal(a, `${FILE}# BEGIN guard\none\n# END guard\n`);
    assert.equal(blockBody(a, 'guard'), 'one\n');
    const b = setBlock(`${a}TAIL=1\n`, 'guard', 'two\nlines\n');
    assert.equal(b, `${FILE}# BEGIN guard\ntwo\nlines\n# END guard\nTAIL=1\n`);
    assert.equal(setBlock(b, 'guard', null), `${FILE}TAIL=1\n`);
    assert.equal(blockBody(FILE, 'guard'), undefined);
  });

  it('escapes what double quotes would expand', () => {
    assert.equal(escapeDouble('a "b" $c `d` \\e'), 'a \\"b\\" \\$c \\`d\\` \\\\e');
  });
});

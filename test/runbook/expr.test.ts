import assert from 'node:assert/strict';
import { parseExpr, render, splitTemplate, type Resolver } from '../../runner/src/runbook/expr.js';

function resolver(vars: Record<string, unknown>): Resolver {
  return {
    lookup: (n) => (Object.prototype.hasOwnProperty.call(vars, n) ? { found: true, value: vars[n] } : { found: false }),
    names: () => Object.keys(vars),
  };
}

const vars = resolver({
  port: 61616,
  dir: '/data',
  on: true,
  brokers: ['broker1', 'broker2'],
  hosts: { broker1: { address: '192.168.10.192', vars: { name: 'b1' } }, 'nfs-1': { address: '10.0.0.1' } },
  peer: 'broker1',
  nothing: null,
  name: 'Broker',
});

const ok = (s: string) => {
  const r = render(s, vars);
  assert.deepEqual(r.errors, [], s);
  return r.value;
};
const err = (s: string) => {
  const r = render(s, vars);
  assert.equal(r.value, undefined);
  assert.ok(r.errors.length > 0, `${s} should fail`);
  return r.errors[0];
};

describe('expressions', () => {
  it('a whole-string expression keeps its type', () => {
    assert.equal(ok('{{ port }}'), 61616);
    assert.equal(ok('  {{ on }} '), true);
    assert.deepEqual(ok('{{ brokers }}'), ['broker1', 'broker2']);
  });

  it('text around expressions makes a string', () => {
    assert.equal(ok('tcp://0.0.0.0:{{ port }}'), 'tcp://0.0.0.0:61616');
    assert.equal(ok('{{ dir }}/kahadb'), '/data/kahadb');
    assert.equal(ok('no expression'), 'no expression');
  });

  it('paths, indexing, quoted keys and variable keys', () => {
    assert.equal(ok('{{ hosts.broker1.address }}'), '192.168.10.192');
    assert.equal(ok('{{ hosts.broker1.vars.name }}'), 'b1');
    assert.equal(ok('{{ brokers[1] }}'), 'broker2');
    assert.equal(ok("{{ hosts['nfs-1'].address }}"), '10.0.0.1');
    assert.equal(ok('{{ hosts[peer].address }}'), '192.168.10.192');
  });

  it('the four filters', () => {
    assert.equal(ok('{{ brokers | join(",") }}'), 'broker1,broker2');
    assert.equal(ok('{{ brokers | join }}'), 'broker1,broker2');
    assert.equal(ok('{{ name | upper }}'), 'BROKER');
    assert.equal(ok('{{ name | lower }}'), 'broker');
    assert.equal(ok('{{ missing | default(8161) }}'), 8161);
    assert.equal(ok("{{ missing | default('x') | upper }}"), 'X');
    assert.equal(ok('{{ nothing | default(false) }}'), false);
    assert.equal(ok('{{ port | default(1) }}'), 61616);
  });

  it('undefined variables are errors, with did-you-mean', () => {
    const e = err('{{ prot }}');
    assert.equal(e.code, 'undefined-variable');
    assert.equal(e.hint, "did you mean 'port'?");
    assert.equal(e.replace, 'port');
    assert.deepEqual([e.start, e.end], [3, 7]);
    assert.equal(err('{{ hosts.broker1.adress }}').hint, "did you mean 'address'?");
  });

  it('is data, never code', () => {
    assert.equal(err('{{ port + 1 }}').message, "operators are not supported: '+'");
    assert.equal(err('{{ a == b }}').message, "operators are not supported: '=='");
    assert.equal(err('{{ dir.constructor }}').code, 'bad-path');
    assert.equal(err('{{ hosts.constructor }}').code, 'undefined-variable');
    assert.equal(err('{{ hosts.__proto__ }}').code, 'undefined-variable');
    assert.equal(err('{{ name() }}').code, 'expression-syntax');
    assert.equal(err('{{ `id` }}').code, 'expression-syntax');
    assert.equal(err('{{ $(id) }}').code, 'expression-syntax');
  });

  it('reports syntax errors with their position', () => {
    assert.equal(err('{{ }}').message, 'empty expression');
    assert.equal(err('x {{ dir').message, "unclosed '{{'");
    assert.equal(err('{{ brokers[ }}').code, 'expression-syntax');
    assert.equal(err('{{ name | }}').code, 'expression-syntax');
    const e = err('{{ name | uppr }}');
    assert.equal(e.code, 'unknown-filter');
    assert.equal(e.replace, 'upper');
    assert.deepEqual([e.start, e.end], [10, 14]);
  });

  it('filters check their input', () => {
    assert.equal(err('{{ port | upper }}').message, 'upper needs a string, got a number');
    assert.equal(err('{{ name | join(",") }}').message, 'join needs a list, got a string');
    assert.equal(err('{{ brokers[5] }}').message, 'index 5 is out of range: brokers has 2 items');
  });

  it('splits templates and keeps quoted braces inside expressions', () => {
    const segs = splitTemplate("a {{ x | default('}}') }} b");
    assert.deepEqual(segs.map((s) => s.kind), ['text', 'expr', 'text']);
    const parsed = parseExpr(" x | default('}}') ");
    assert.ok(!('code' in parsed));
  });
});

describe('the if filter: a list kept or emptied by a switch', () => {
  it('keeps the list when the argument is true and empties it when false', () => {
    assert.deepEqual(ok('{{ brokers | if(on) }}'), ['broker1', 'broker2']);
    assert.deepEqual(ok('{{ brokers | if(false) }}'), []);
  });
  it('refuses a value that is not a list, and a switch that is not true or false', () => {
    assert.match(render('{{ port | if(on) }}', vars).errors[0].message, /if needs a list, got/);
    assert.match(render('{{ brokers | if(name) }}', vars).errors[0].message, /if takes one argument, true or false/);
  });
});

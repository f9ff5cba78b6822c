import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/paths.js';

const SRC = join(ROOT, 'runner', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every relative import of a source file, as a path below runner/src (`transport/quote.ts`). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)];
  return found.map((m) => relative(SRC, resolve(dirname(file), m[1]!)).replace(/\.js$/, '.ts'));
}

function offending(under: string, allowed: (target: string) => boolean): string[] {
  return sources(join(SRC, under)).flatMap((f) => imports(f).filter((t) => !allowed(t)).map((t) => `${relative(SRC, f)} imports ${t}`));
}

describe('layering: what each part of the runner may import', () => {
  it('finds the imports it scans (a check that cannot fail proves nothing)', () => {
    assert.ok(imports(join(SRC, 'modules', 'command.ts')).includes('transport/quote.ts'));
    assert.ok(offending('report', (t) => !t.startsWith('engine/')).length > 0);
  });

  it('modules take only the Transport interface and the quoting helper from transport/', () => {
    assert.deepEqual(offending('modules', (t) => !t.startsWith('transport/') || t === 'transport/transport.ts' || t === 'transport/quote.ts'), []);
  });

  it('transport only moves bytes and runs commands: it imports nothing above it', () => {
    assert.deepEqual(offending('transport', (t) => t.startsWith('transport/')), []);
  });

  it('the reporters read the engine, never the command line', () => {
    assert.deepEqual(offending('report', (t) => !t.startsWith('cli/')), []);
  });
});

import type { Catalog } from '../../runner/src/modules/index.js';
import { complete } from './analysis/complete.js';
import { hover } from './analysis/hover.js';
import { inlayHints } from './analysis/inlay.js';
import { symbolAt } from './analysis/rename.js';
import { semanticTokens } from './analysis/semantic.js';
import { Workspace } from './workspace.js';

/**
 * A runbook using every module's examples, with an inline inventory: analysing it once at start
 * compiles the validator's code paths, so the first document the user opens is answered quickly.
 */
export function warmupRunbook(catalog: Catalog, plays = 1): string {
  const tasks = [...catalog.values()]
    .flatMap((m) => m.examples.trimEnd().split('\n'))
    .map((l) => `      ${l}`)
    .join('\n');
  const play = (i: number) => `  - name: every module ${i}
    hosts: all_hosts
    vars:
      here: "{{ host.name }}:{{ dir }}"
    tasks:
${tasks}
`;
  return `name: warm-up
inventory:
  hosts:
    h1: { address: 127.0.0.1, vars: { broker_name: b1 } }
    h2: { address: 127.0.0.2, vars: { broker_name: b2 } }
  groups:
    all_hosts: { hosts: [h1, h2] }
vars:
  dir: /tmp/warm-up
  first: "{{ groups.all_hosts[0] }}"
  address: "{{ hosts[first].address | default('x') | upper }}"
secrets:
  admin_password: { env: AMQ_ADMIN_PASSWORD }
plays:
${Array.from({ length: plays }, (_, i) => play(i)).join('')}`;
}

/**
 * Opens the warm-up runbook a few times, then edits and queries it, as an editor would: one small
 * step at a time, so that the server can stop between two steps when real work arrives.
 */
export function* warmUp(catalog: Catalog, plays = 8, opens = 3): Generator<void> {
  const ws = new Workspace({ readFile: () => null, globs: [], catalog });
  let text = warmupRunbook(catalog, plays);
  for (let i = 0; i < opens; i++) {
    const uri = `warmup:${i}`;
    ws.open({ uri, languageId: 'runbook', version: 1, text });
    const a = ws.analyze(uri)!;
    yield;
    for (const at of [text.indexOf('{{ dir }}') + 4, text.indexOf('hosts: all_hosts') + 9, text.lastIndexOf('    tasks:') + 6]) {
      complete(a, text, at, catalog);
      hover(a, text, at, catalog);
      symbolAt(a, text, at, catalog);
    }
    yield;
    semanticTokens(a);
    inlayHints(a, { start: 0, end: text.length }, catalog);
    yield;
    const cut = text.lastIndexOf('  - name: every module');
    text = `${text.slice(0, cut)}  - name: every module again ${i}\n${text.slice(text.indexOf('\n', cut) + 1)}`;
    ws.change(uri, 2, text);
    ws.analyze(uri);
    ws.close(uri);
    yield;
  }
}

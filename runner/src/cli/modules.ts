import { renderModuleDoc } from '../modules/lib/docs.js';
import { catalog, modules } from '../modules/index.js';
import { didYouMean } from '../runbook/suggest.js';
import { EXIT } from '../engine/exit-codes.js';

/** Markdown to terminal text: drop emphasis and code marks, keep the structure. */
function plain(md: string): string {
  return md
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/^```\w*$/gm, '')
    .replace(/^#+ (.*)$/gm, (_, t: string) => t.toUpperCase())
    .replace(/\n{3,}/g, '\n\n');
}

export function modulesCommand(name: string | undefined, out: (s: string) => void, err: (s: string) => void): number {
  if (name === undefined) {
    const width = Math.max(...modules.map((m) => m.name.length));
    for (const m of modules) out(`${m.name.padEnd(width)}  ${m.summary}`);
    out('');
    out('amq-run modules NAME shows the parameters and an example.');
    return EXIT.ok;
  }
  const m = catalog.get(name);
  if (!m) {
    err(`amq-run: no module named '${name}'${(() => {
      const h = didYouMean(name, catalog.keys());
      return h ? ` (${h})` : '';
    })()}`);
    return EXIT.usage;
  }
  out(plain(renderModuleDoc(m)).trimEnd());
  return EXIT.ok;
}

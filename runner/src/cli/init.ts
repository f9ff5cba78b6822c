import { existsSync, linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { INVENTORY, startProject, type StartProject } from '../init/project.js';
import { readText } from './load.js';
import { EXIT } from '../engine/exit-codes.js';
import { ownPackage } from './own-package.js';

export interface InitOptions {
  network?: boolean;
  brokers?: number;
}


/** Creates the file with its whole content at once, and never replaces one that is there. */
function writeNew(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { flag: 'wx' });
  try {
    linkSync(tmp, path);
  } finally {
    unlinkSync(tmp);
  }
}

/** A path as the user reads it best: relative when it is under the current folder. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function nextSteps(dir: string, { playbook, secrets }: StartProject): string[] {
  const cd = shown(dir);
  return [
    '',
    'Next:',
    `  edit ${join(cd, INVENTORY)}: your hosts' addresses, the SSH user and key`,
    ...(cd ? [`  cd ${cd}`] : []),
    ...secrets.map((s) => `  export ${s}=...        # a secret of ${playbook}`),
    `  amq-run validate ${playbook}`,
    `  amq-run ${playbook} --dry-run      # every check, every diff, nothing changed`,
    `  amq-run ${playbook}`,
  ];
}

/** `amq-run init [DIR]`: a starting project from the shipped playbooks; exit 1 if any file exists. */
export function initCommand(dir: string, opts: InitOptions, out: (s: string) => void, err: (s: string) => void): number {
  const shippedDir = join(ownPackage().root, 'playbooks');
  if (!existsSync(shippedDir)) {
    err(`amq-run init: the shipped playbooks are not next to this runner (${shippedDir}); install the npm package: npm install -g amq-runbook`);
    return EXIT.usage;
  }
  const project = startProject({ network: opts.network ?? false, brokers: opts.brokers ?? 2 }, (name) => readText(join(shippedDir, name)));
  const taken = project.files.map((f) => join(dir, f.path)).filter((p) => existsSync(p)).map(shown);
  if (taken.length) {
    err(`amq-run init: ${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing was written (init never replaces a file: move it away or choose another folder)`);
    return EXIT.usage;
  }
  for (const f of project.files) {
    writeNew(join(dir, f.path), f.content);
    out(`wrote ${shown(join(dir, f.path))}`);
  }
  for (const line of nextSteps(dir, project)) out(line);
  return EXIT.ok;
}

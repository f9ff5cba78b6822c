import { isMap, isScalar, parse, parseDocument, visit } from 'yaml';
import { inventoryText } from './inventory.js';
import { HA, NETWORK } from './kinds.js';
import { setTopLevel } from './set-top-level.js';

export interface ProjectOptions {
  network: boolean;
  brokers: number;
}

export interface ProjectFile {
  /** Relative to the project folder, with forward slashes. */
  path: string;
  content: string;
}

export interface StartProject {
  /** The playbook's path among the files. */
  playbook: string;
  /** Environment variables its secrets are read from. */
  secrets: string[];
  files: ProjectFile[];
}

export const INVENTORY = 'inventory.yaml';

/** `src` of every template or file task whose path is literal: the files the playbook reads from beside it. */
function templateSources(playbook: string): string[] {
  const found = new Set<string>();
  visit(parseDocument(playbook), {
    Pair(_, pair) {
      if (!isScalar(pair.key) || (pair.key.value !== 'template' && pair.key.value !== 'file') || !isMap(pair.value)) return;
      const src = pair.value.get('src');
      if (typeof src === 'string' && !src.includes('{{')) found.add(src);
    },
  });
  return [...found];
}

/** The environment variables the playbook's secrets come from. */
function secretVariables(playbook: string): string[] {
  const secrets = (parse(playbook) as { secrets?: Record<string, { env?: string }> } | null)?.secrets ?? {};
  return Object.values(secrets).flatMap((s) => (typeof s?.env === 'string' ? [s.env] : []));
}

/**
 * Everything `amq-run init` writes: the shipped playbook (written once for any number of brokers),
 * pointed at the new inventory with that many, the templates it renders, and the editor settings. `shipped` reads a file of the
 * shipped playbooks folder (null when absent).
 */
export function startProject(opts: ProjectOptions, shipped: (name: string) => string | null): StartProject {
  const kind = opts.network ? NETWORK : HA;
  const source = shipped(kind.playbook);
  if (source === null) throw new Error(`the shipped playbook ${kind.playbook} is missing`);
  const playbook = setTopLevel(source, 'inventory', INVENTORY);
  const templates = templateSources(playbook).map((src) => {
    const content = shipped(src);
    if (content === null) throw new Error(`the file ${src} that ${kind.playbook} reads is missing`);
    return { path: src, content };
  });
  const settings = { 'amqRunbook.inventory': INVENTORY, 'amqRunbook.filePatterns': [kind.playbook] };
  const files = [
    { path: INVENTORY, content: inventoryText(kind.playbook, kind.hosts(opts.brokers)) },
    { path: kind.playbook, content: playbook },
    ...templates,
    { path: '.vscode/settings.json', content: `${JSON.stringify(settings, null, 2)}\n` },
  ];
  return { playbook: kind.playbook, secrets: secretVariables(playbook), files };
}

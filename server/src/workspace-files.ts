import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Folders that never hold the user's runbooks. */
const SKIP = new Set(['node_modules', '.git', 'out', 'dist', '.cache', '.lab', 'test-results', '.vscode-test']);
const MAX_FILES = 5000;

export interface FileSystem {
  list(dir: string): { name: string; dir: boolean }[];
}

export const realFileSystem: FileSystem = {
  list: (dir) => {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
    } catch {
      return [];
    }
  },
};

/**
 * The YAML files of the workspace folders (what rename and workspace symbols look through), read
 * again when asked after `changed()`: the client reports created and deleted files as it does edits.
 */
export class WorkspaceFiles {
  private cached?: string[];

  constructor(
    private readonly roots: () => string[],
    private readonly fs: FileSystem = realFileSystem,
  ) {}

  changed(): void {
    this.cached = undefined;
  }

  yamlFiles(): string[] {
    if (this.cached) return this.cached;
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of this.fs.list(dir).sort((x, y) => x.name.localeCompare(y.name))) {
        if (out.length >= MAX_FILES) return;
        const path = join(dir, e.name);
        if (e.dir) {
          if (!SKIP.has(e.name) && !e.name.startsWith('.')) walk(path);
        } else if (/\.ya?ml$/.test(e.name)) out.push(path);
      }
    };
    for (const root of this.roots()) walk(root);
    this.cached = out;
    return out;
  }
}

import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PlaybookModel } from '../runbook/model.js';
import { UsageError } from './load.js';

export type Prompt = (question: string) => Promise<string>;

/** Each declared secret's value: from its environment variable or file, else asked for on a TTY. */
export async function resolveSecrets(pb: PlaybookModel, playbookDir: string, prompt: Prompt | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const s of pb.secrets.values()) {
    if (s.env !== undefined && process.env[s.env] !== undefined) {
      out.set(s.name, process.env[s.env]!);
      continue;
    }
    if (s.file !== undefined) {
      const path = isAbsolute(s.file) ? s.file : resolve(playbookDir, s.file);
      try {
        out.set(s.name, readFileSync(path, 'utf8').split('\n')[0]);
        continue;
      } catch {
        throw new UsageError(`secret '${s.name}': cannot read ${path}`);
      }
    }
    if (!prompt) throw new UsageError(`secret '${s.name}': the environment variable ${s.env} is not set (and there is no terminal to ask on)`);
    out.set(s.name, await prompt(`${s.name} (${s.env ? `$${s.env} is not set` : 'secret'}): `));
  }
  return out;
}

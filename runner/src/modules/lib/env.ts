import { q } from '../../transport/quote.js';

/**
 * A command run with variables exported first, their values on the shell's standard input (read
 * into the shell itself, so they are never an argument of any process), not on its command line.
 */
export function withEnv(command: string, env: Readonly<Record<string, string>>): { cmd: string; stdin: string } {
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}=${q(v)}\n`)
    .join('');
  return { cmd: `eval "$(cat)"\n${command}`, stdin: exports };
}

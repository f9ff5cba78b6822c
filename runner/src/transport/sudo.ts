import { q } from './quote.js';

/**
 * Wraps a command for sudo. The password, when there is one, is the first line of stdin
 * (`sudo -S` reads it byte by byte, leaving the rest for the command); it is never on a command line.
 */
export function withSudo(command: string, stdin: string | Buffer | undefined, password: string | undefined): { command: string; stdin: string | Buffer | undefined } {
  if (password === undefined) return { command: `sudo -n -- sh -c ${q(command)}`, stdin };
  const rest = stdin ?? '';
  return {
    command: `sudo -S -p '' -- sh -c ${q(command)}`,
    stdin: typeof rest === 'string' ? `${password}\n${rest}` : Buffer.concat([Buffer.from(`${password}\n`), rest]),
  };
}

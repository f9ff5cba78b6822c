/**
 * The one way a value reaches a shell: single-quoted, with embedded single quotes closed,
 * escaped and reopened. Quotes, $(...), backticks, spaces and newlines all stay literal.
 */
export function q(value: string | number): string {
  const s = String(value);
  if (s.includes('\0')) throw new Error('a NUL byte cannot be passed to a shell');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command line from literal words, each quoted. */
export function cmd(...words: (string | number)[]): string {
  return words.map(q).join(' ');
}

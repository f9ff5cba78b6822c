import type { ExecResult } from '../../transport/transport.js';
import { cmd } from '../../transport/quote.js';

/** Lists the given packages that dpkg knows, each with its status letters. */
export const dpkgQuery = (names: readonly string[]): string => cmd('dpkg-query', '-W', '-f=${Package}\\t${db:Status-Abbrev}\\n', ...names);

/** Prints the name of each given package that is installed. */
export const rpmQuery = (names: readonly string[]): string => cmd('rpm', '-q', '--qf', '%{NAME}\\n', ...names);

/** The installed packages among those asked about, or why the query did not answer. */
export type QueryResult = { installed: string[] } | { error: string };

/**
 * The installed packages in dpkg-query's output. The second status letter is the package's
 * state: i (installed) or t/W (installed, triggers pending); c (config files left), n and the
 * half-done states count as not installed.
 */
export function parseDpkgQuery(out: ExecResult): QueryResult {
  // dpkg-query exits 1 when some name is unknown to it and says so on stderr.
  const unexpected = out.stderr.split('\n').filter((l) => l.trim() !== '' && !/no packages found matching/.test(l));
  if ((out.code !== 0 && out.code !== 1) || unexpected.length > 0) return { error: unexpected.join('\n') || `exit ${out.code}` };
  const installed = new Set<string>();
  for (const l of out.stdout.split('\n')) {
    const [name, status] = l.split('\t');
    if (name && /^.[itW]/.test(status ?? '')) installed.add(name);
  }
  return { installed: [...installed].sort() };
}

/** The installed packages in `rpm -q --qf '%{NAME}\n'` output; rpm's exit code counts the missing ones. */
export function parseRpmQuery(out: ExecResult): QueryResult {
  const errors = out.stderr.split('\n').filter((l) => /^error:/.test(l));
  if (out.code >= 126 || errors.length > 0) return { error: errors.join('\n') || `exit ${out.code}` };
  const installed = new Set<string>();
  for (const l of out.stdout.split('\n')) {
    const name = l.trim();
    if (name !== '' && !/^package .* is not installed$/.test(name)) installed.add(name);
  }
  return { installed: [...installed].sort() };
}

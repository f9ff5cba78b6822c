/**
 * Edits a file of shell variable assignments that a start script sources (Debian's ActiveMQ
 * instance `options`, a tarball's `bin/env`): one variable's line, or one marked block, changes;
 * every other byte stays.
 */

const assignment = (name: string) => new RegExp(`^([ \\t]*(?:export[ \\t]+)?)${name}=(.*)$`);

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

function joined(ls: readonly string[]): string {
  return ls.length ? `${ls.join('\n')}\n` : '';
}

/** The raw text of a variable's value as the file writes it: inside its double quotes, or as a bare word. */
export function rawValue(text: string, name: string): string | undefined {
  const re = assignment(name);
  const found = lines(text).filter((l) => re.test(l)).at(-1);
  if (found === undefined) return undefined;
  const v = re.exec(found)![2].trim();
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return v.slice(1, -1);
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return escapeDouble(v.slice(1, -1));
  return v;
}

/** A literal for use inside double quotes: \, ", $ and ` escaped. */
export function escapeDouble(s: string): string {
  return s.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/**
 * Sets a variable to a raw value (written inside double quotes, as is): the last assignment of it
 * is rewritten in place, keeping an `export`; otherwise the line is added before the block that
 * starts with `before` (when there is one) or at the end.
 */
export function setRawValue(text: string, name: string, raw: string, before?: string): string {
  const re = assignment(name);
  const ls = lines(text);
  const line = (prefix: string) => `${prefix}${name}="${raw}"`;
  for (let i = ls.length - 1; i >= 0; i--) {
    const m = re.exec(ls[i]);
    if (!m) continue;
    if (ls[i] === line(m[1])) return text;
    ls[i] = line(m[1]);
    return joined(ls);
  }
  const at = before === undefined ? -1 : ls.indexOf(before);
  if (at < 0) ls.push(line(''));
  else ls.splice(at, 0, line(''));
  return joined(ls);
}

/** `# BEGIN name` ... `# END name`: lines a tool owns inside a file it shares with people. */
export function blockMarkers(name: string): { begin: string; end: string } {
  return { begin: `# BEGIN ${name}`, end: `# END ${name}` };
}

/** The body of a marked block; undefined when the file has none. */
export function blockBody(text: string, name: string): string | undefined {
  const { begin, end } = blockMarkers(name);
  const ls = lines(text);
  const a = ls.indexOf(begin);
  const b = ls.indexOf(end, a + 1);
  return a < 0 || b < 0 ? undefined : joined(ls.slice(a + 1, b));
}

/** Puts a marked block at the end of the file with this body (replacing it where it is), or removes it (null). */
export function setBlock(text: string, name: string, body: string | null): string {
  const { begin, end } = blockMarkers(name);
  const ls = lines(text);
  const a = ls.indexOf(begin);
  const b = a < 0 ? -1 : ls.indexOf(end, a + 1);
  const block = body === null ? [] : [begin, ...lines(body), end];
  if (a >= 0 && b >= 0) ls.splice(a, b - a + 1, ...block);
  else ls.push(...block);
  return joined(ls);
}

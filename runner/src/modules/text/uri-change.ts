function split(uri: string): { base: string; params: [string, string | undefined][] } {
  const q = uri.indexOf('?');
  if (q < 0) return { base: uri, params: [] };
  const params = uri
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p): [string, string | undefined] => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
    });
  return { base: uri.slice(0, q), params };
}

/** `tcp://a:1?x=1` → `tcp://b:1?x=2` reads "tcp://a:1 -> tcp://b:1, x 1 -> 2". */
export function describeUriChange(from: string | undefined, to: string): string {
  if (from === undefined) return `uri ${to}`;
  const a = split(from);
  const b = split(to);
  const parts: string[] = [];
  if (a.base !== b.base) parts.push(`${a.base} -> ${b.base}`);
  const before = new Map(a.params);
  const after = new Map(b.params);
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const x = before.has(k) ? (before.get(k) ?? '') : undefined;
    const y = after.has(k) ? (after.get(k) ?? '') : undefined;
    if (x !== y) parts.push(`${k} ${x ?? '(unset)'} -> ${y ?? '(unset)'}`);
  }
  return parts.length ? parts.join(', ') : `uri ${from} -> ${to}`;
}

export const MASK = '******';

/**
 * Replaces every secret value in every string of a value (events, questions, errors), and what
 * the upper and lower filters make of it (default and join keep it whole, so it is found as it is).
 * Longer secrets first, so a secret containing another is masked whole.
 */
export function masker(secrets: Iterable<string>): <T>(value: T) => T {
  const forms = [...secrets].flatMap((s) => [s, s.toUpperCase(), s.toLowerCase()]);
  const list = [...new Set(forms.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (!list.length) return (v) => v;
  const maskString = (s: string): string => {
    let out = s;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskString(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return <T>(value: T) => walk(value) as T;
}

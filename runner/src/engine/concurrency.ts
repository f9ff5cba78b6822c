/** Runs `fn` over items with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The hosts of a play in batches of `serial` (a count or a percentage); all at once without it. */
export function batches<T>(hosts: readonly T[], serial: number | string | undefined): T[][] {
  if (!hosts.length) return [];
  let size = hosts.length;
  if (typeof serial === 'number') size = serial;
  else if (typeof serial === 'string') size = Math.max(1, Math.ceil((hosts.length * Number(serial.replace('%', ''))) / 100));
  const out: T[][] = [];
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size));
  return out;
}

/** A small seeded PRNG (mulberry32), so fuzz runs are repeatable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

const TOKENS = [':', '- ', '{{', '}}', '{{ x }}', '[', ']', '{', '}', '"', "'", '|', '>', '*a', '&a', '!!str ', '#', '\t', ',', '?', ' ', '\n', 'null', 'true', '0755', '70000', 'hosts', 'tasks', 'name', 'notify', '{{ hosts.broker1.address }}', '{{ groups.brokers[9] }}', 'plays:', 'vars:'];

/** One random edit: delete or duplicate a line, shift its indentation, or insert a token. */
export function mutate(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(rand() * lines.length);
  switch (Math.floor(rand() * 6)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i] ?? '');
      break;
    case 2:
      lines[i] = `  ${lines[i] ?? ''}`;
      break;
    case 3:
      lines[i] = (lines[i] ?? '').replace(/^ {1,2}/, '');
      break;
    case 4: {
      const l = lines[i] ?? '';
      const at = Math.floor(rand() * (l.length + 1));
      lines[i] = l.slice(0, at) + pick(rand, TOKENS) + l.slice(at);
      break;
    }
    default: {
      const l = lines[i] ?? '';
      const words = [...l.matchAll(/[A-Za-z_]+/g)];
      if (words.length) {
        const w = pick(rand, words);
        lines[i] = l.slice(0, w.index) + pick(rand, ['x', 'brokr', 'tsks', 'nam', 'hostz', w[0].slice(1)]) + l.slice(w.index! + w[0].length);
      }
    }
  }
  return lines.join('\n');
}

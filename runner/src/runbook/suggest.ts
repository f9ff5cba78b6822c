/**
 * Damerau-Levenshtein distance (adjacent transpositions count as one edit), in three rows. Past
 * `max` it stops early and returns max + 1: a row's cells only grow from the two rows above.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const cols = b.length + 1;
  let before = new Int32Array(cols);
  let prev = Int32Array.from({ length: cols }, (_, j) => j);
  let cur = new Int32Array(cols);
  let minBefore = Infinity;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let min = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      cur[j] = d;
      if (d < min) min = d;
    }
    if (min > max && minBefore > max) return max + 1;
    minBefore = min;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[cols - 1];
}

/** A suggestion is never more than this many edits away. */
const MAX_EDITS = 3;

/** The closest candidate, if it is close enough to be what the user meant. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const bare = lower.replace(/[-_]/g, '');
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const cl = c.toLowerCase();
    let score: number;
    if (cl === lower) score = 0.1;
    else if (cl.replace(/[-_]/g, '') === bare) score = 0.5;
    // Further apart in length than any suggestion may be: not worth the distance.
    else if (Math.abs(cl.length - lower.length) > MAX_EDITS) continue;
    else score = editDistance(lower, cl, Math.min(MAX_EDITS, bestScore));
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(MAX_EDITS, Math.floor(Math.max(word.length, best.length) / 3)));
  return bestScore <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>, otherwise?: string): string | undefined {
  const c = closest(word, candidates);
  return c !== undefined ? `did you mean '${c}'?` : otherwise;
}

export function listOf(names: Iterable<string>, max = 8): string {
  const all = [...names];
  const shown = all.slice(0, max).join(', ');
  return all.length > max ? `${shown}, …` : shown;
}

import type { YAMLMap } from 'yaml';
import { moveSpan, type Diagnostic, type Reporter } from './diagnostics.js';
import type { PlayModel } from './model.js';
import { spanOf } from './nodes.js';

/**
 * What checking one play for each of its hosts produced: the problems reported, the parameters and
 * `when` values. In the editor, a play whose text did not change is not checked again after an
 * edit elsewhere: its outcome is replayed, moved to where the play now is.
 *
 * A play's outcome depends on its own mapping and on everything outside the plays (variables,
 * secrets, the inventory, -e). An incremental parse keeps the same node for an unchanged play, so
 * the node identifies the play's text; the rest is compared as a context.
 */
export interface PlayOutcome {
  index: number;
  /** Offset of the play when it was checked. */
  at: number;
  span: { start: number; end: number };
  reports: Diagnostic[];
  params: [key: string, value: Record<string, unknown>][];
  whens: [key: string, value: boolean][];
  /** Tasks (or handlers, by index) whose parameters resolved, per host. */
  resolved: { handler: boolean; index: number; host: string; params: Record<string, unknown> }[];
}

interface Memory {
  context: readonly unknown[];
  byPlay: WeakMap<YAMLMap, PlayOutcome>;
}

const memories = new WeakMap<object, Memory>();

export class PlayMemory {
  private previous?: Memory;
  private readonly byPlay = new WeakMap<YAMLMap, PlayOutcome>();
  private current?: PlayOutcome;

  /** `owner` is the analysis being made; `previous` the one of the same document before the edit. */
  constructor(
    private readonly owner: object,
    previous: object | undefined,
    private readonly context: readonly unknown[],
  ) {
    const m = previous && memories.get(previous);
    if (m && m.context.length === context.length && m.context.every((x, i) => x === context[i])) this.previous = m;
  }

  /** The outcome of this play's check before the edit, moved to its offset now; undefined when it must be checked. */
  reuse(play: PlayModel): PlayOutcome | undefined {
    const before = this.previous?.byPlay.get(play.node);
    if (!before || before.index !== play.index) return undefined;
    const delta = spanOf(play.node).start - before.at;
    const move = (d: Diagnostic): Diagnostic => {
      const inPlay = d.file === undefined && before.span.start <= d.span.start && d.span.end <= before.span.end;
      return inPlay && delta ? { ...d, span: moveSpan(d.span, delta) } : d;
    };
    const now: PlayOutcome = { ...before, at: before.at + delta, span: moveSpan(before.span, delta), reports: before.reports.map(move) };
    this.byPlay.set(play.node, now);
    return now;
  }

  /** Starts recording a play's check. */
  begin(play: PlayModel): PlayOutcome {
    const span = spanOf(play.node);
    this.current = { index: play.index, at: span.start, span, reports: [], params: [], whens: [], resolved: [] };
    this.byPlay.set(play.node, this.current);
    return this.current;
  }

  end(): void {
    this.current = undefined;
  }

  /** A reporter that also records into the play being checked. */
  tap(report: Reporter, file?: string): Reporter {
    return (d) => {
      report(d);
      this.current?.reports.push({ severity: 'error', ...d, ...(file !== undefined ? { file } : {}) });
    };
  }

  /** Keeps the outcomes for the next analysis of the same document. */
  keep(): void {
    memories.set(this.owner, { context: this.context, byPlay: this.byPlay });
    this.previous = undefined;
  }
}

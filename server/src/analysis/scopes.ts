import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import type { PlayModel, TaskModel } from '../../../runner/src/runbook/model.js';
import type { Scope } from '../../../runner/src/runbook/scope.js';
import type { Span } from './types.js';

const inside = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

/** The play whose mapping holds the offset. */
export function playAt(a: Analysis, offset: number): PlayModel | undefined {
  return a.playbook?.plays.find((p) => inside(p.span, offset));
}

/** The task or handler whose mapping holds the offset. */
export function taskAt(play: PlayModel | undefined, offset: number): TaskModel | undefined {
  return play && [...play.tasks, ...play.handlers].find((t) => inside(t.span, offset));
}

/** The hosts whose variables apply at the offset: the play's hosts, or every host outside a play. */
export function hostsAt(a: Analysis, offset: number): { play?: PlayModel; hosts: string[] } {
  const play = playAt(a, offset);
  if (play) return { play, hosts: a.plays.find((p) => p.play === play)?.hosts ?? [] };
  return { hosts: [...(a.inventory?.hosts.keys() ?? [])] };
}

/** One scope per host at the offset (one without a host when there is none). */
export function scopesAt(a: Analysis, offset: number): { host?: string; scope: Scope }[] {
  const { play, hosts } = hostsAt(a, offset);
  if (!hosts.length) return [{ scope: a.scopes.scope(undefined, play) }];
  return hosts.map((host) => ({ host, scope: a.scopes.scope(host, play) }));
}

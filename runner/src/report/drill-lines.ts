import type { DrillEvent, DrillResult } from '../cluster/drill-events.js';

const secs = (ms: number) => `+${(ms / 1000).toFixed(1)} s`.padStart(9);

/** The drill's outcome in one line. */
export function drillVerdict(r: DrillResult): string {
  const takeover = r.takeover_ms === null ? 'no new master through HAProxy' : `takeover ${r.takeover_ms} ms (${r.stop_to_new_master_ms} ms from the stop)`;
  const roles = `${r.new_master ?? 'no broker'} is master, ${r.old_master} is ${r.old_master_role_after ?? 'unknown'}`;
  return `${r.ok ? 'PASSED' : 'FAILED'}: ${takeover}; sent ${r.sent}, received ${r.received}, lost ${r.lost}, duplicated ${r.duplicated}; ${roles}; ${r.healthy_after ? 'healthy after' : 'NOT healthy after'}`;
}

/** A drill event as plain lines (none for an event that only feeds the live view). */
export function drillLines(e: DrillEvent): string[] {
  switch (e.type) {
    case 'drill_start':
      return [`${e.dry_run ? 'DRY RUN of the drill' : 'DRILL'} on ${e.playbook}: master ${e.master}, ${e.messages} messages to ${e.queue} through ${e.via}`];
    case 'drill_plan':
      return ['the drill would:', ...e.steps.map((s, i) => `  ${i + 1}. ${s}`)];
    case 'drill_step':
      return [`${secs(e.ms)}  ${e.message}`];
    case 'drill_refused':
      return [`drill refused: ${e.message}`, ...e.problems.map((p) => `  - ${p}`)];
    case 'drill_result':
      return [drillVerdict(e)];
  }
}

/** The `--step` back channel: the engine asks before a change; the UI answers. */

export interface StepPlan {
  host: string;
  message: string;
  diff?: string;
  details?: string[];
  commands?: string[];
  unknown?: boolean;
}

export interface StepQuestion {
  play: string;
  task: string;
  module: string;
  /** One entry per host that would change (masked like events). */
  plans: StepPlan[];
}

/** yes: apply this task; no: skip it; all: apply it and stop asking; quit: stop the run cleanly. */
export type StepAnswer = 'yes' | 'no' | 'all' | 'quit';

export type Ask = (q: StepQuestion) => Promise<StepAnswer>;

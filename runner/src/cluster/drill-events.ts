/** The drill's event stream: the JSON lines, the plain lines and the live view all read it. */

export type DrillStepName =
  | 'status'
  | 'sending'
  | 'sent'
  | 'stop_sent'
  | 'stopped'
  | 'old_master_last_answer'
  | 'new_master_first_answer'
  | 'receiving'
  | 'received'
  | 'old_master_start_sent'
  | 'old_master_role'
  | 'status_after';

export interface DrillResult {
  type: 'drill_result';
  /** From the old master's last answer through HAProxy to the new master's first. */
  takeover_ms: number | null;
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  old_master: string;
  new_master: string | null;
  old_master_role_after: string | null;
  /** From the stop being sent to the new master's first answer through HAProxy. */
  stop_to_new_master_ms: number | null;
  healthy_after: boolean;
  ok: boolean;
}

export type DrillEvent =
  | { type: 'drill_start'; playbook: string; dry_run: boolean; messages: number; queue: string; master: string; via: string }
  | { type: 'drill_step'; step: DrillStepName; ms: number; message: string; count?: number }
  | { type: 'drill_plan'; steps: string[] }
  | { type: 'drill_refused'; message: string; problems: string[] }
  | DrillResult;

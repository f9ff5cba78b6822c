/** Exit codes, as the runbook format specifies. */
export const EXIT = {
  ok: 0,
  usage: 1,
  taskFailed: 2,
  unreachable: 3,
  invalid: 4,
  drift: 10,
  interrupted: 130,
} as const;

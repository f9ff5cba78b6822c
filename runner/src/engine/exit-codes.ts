/** How a run ends: the codes `amq-run` exits with, and what each means. The CLI, the views and the README read them here. */
export const EXIT = {
  ok: 0,
  usage: 1,
  taskFailed: 2,
  unreachable: 3,
  invalid: 4,
  stale: 5,
  drift: 10,
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_MEANING: Record<ExitCode, string> = {
  [EXIT.ok]: 'success',
  [EXIT.usage]: 'bad command line',
  [EXIT.taskFailed]: 'a task failed, or would fail in a dry-run',
  [EXIT.unreachable]: 'a host was unreachable',
  [EXIT.invalid]: 'the playbook or inventory is invalid',
  [EXIT.stale]: 'the plan is stale: a host, the playbook or the inventory changed since it was made',
  [EXIT.internal]: 'internal error in amq-run',
  [EXIT.drift]: 'changes are pending',
  [EXIT.interrupted]: 'interrupted',
};

/** Every code with its meaning, one a line: "  0    success". */
export function exitCodesText(indent = '  '): string {
  return Object.values(EXIT)
    .map((c) => `${indent}${String(c).padEnd(5)}${EXIT_MEANING[c]}`)
    .join('\n');
}

import type { CheckContext } from './context.js';
import type { ParamSpec } from './params.js';
import type { Plan } from './plan.js';

export interface ParamProblem {
  /** The parameter the problem is about; the diagnostic points at it (or at the module key). */
  param?: string;
  /** A value deeper inside the parameter: ['frontends', 0, 'default_backend']. */
  path?: readonly (string | number)[];
  message: string;
  hint?: string;
  code?: string;
}

export interface ModuleDef<P = Record<string, unknown>> {
  /** The task key, e.g. `nfs_export`. */
  name: string;
  /** One line, shown in completion and by `amq-run modules`. */
  summary: string;
  /** Markdown, shown on hover over the module key. */
  docs: string;
  params: { readonly [K in keyof P]-?: ParamSpec };
  /** A plain scalar value sets this parameter: `command: exportfs -ra`. */
  freeForm?: keyof P & string;
  /** Groups of parameters of which at most one may be given. */
  exclusive?: readonly (readonly (keyof P & string)[])[];
  /** Groups of parameters of which at least one must be given. */
  oneOf?: readonly (readonly (keyof P & string)[])[];
  /** Checks that span parameters (beyond types, required and choices). Pure. */
  validate?(p: P): ParamProblem[];
  /** YAML of one or more tasks; a test validates every example. */
  examples: string;
  /** A probe only waits and verifies (wait_for); it never plans a change. */
  probe?: boolean;
  /** Reads the host and returns ok or the changes to make. Only reads. */
  check?(ctx: CheckContext, p: P): Promise<Plan>;
}

export function defineModule<P>(m: ModuleDef<P>): ModuleDef<P> {
  return m;
}

/** Modules of any parameter type, as the catalog holds them. */
export type AnyModule = ModuleDef<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

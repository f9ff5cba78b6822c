import type { CheckContext } from './context.js';
import type { ParamSpecs, ParamsOf, When } from './params.js';
import type { Plan } from './plan.js';
import type { RuleId } from '../../runbook/rules.js';

/** A range of offsets in the runbook (the same shape as a diagnostic's span). */
export interface Where {
  start: number;
  end: number;
}

export interface ParamProblem {
  /** The parameter the problem is about; the diagnostic points at it (or at the module key). */
  param?: string;
  /** A value deeper inside the parameter: ['frontends', 0, 'default_backend']. */
  path?: readonly (string | number)[];
  message: string;
  hint?: string;
  code?: RuleId;
}

/** One host's validated parameters of a task, for the rules that span the hosts of a play. */
export interface HostTask<P> {
  host: string;
  /** The task's name and its play's, for messages. */
  task: string;
  play: string;
  /** Its `when` holds on this host. */
  runs: boolean;
  params: P;
  /** Where a value of this task is written, by its path in the parameters: the nearest found. */
  at(path?: readonly (string | number)[]): Where;
  /** A variable of the host, as the task saw it; undefined when not defined. */
  variable(name: string): unknown;
}

/** A problem found across hosts, at one place of the runbook. */
export interface ClusterProblem {
  at: Where;
  code: RuleId;
  message: string;
  hint?: string;
  severity?: 'error' | 'warning';
}

/** A port a task makes its host listen on. */
export interface Listener {
  port: number;
  /** The address it binds; undefined, `*`, `0.0.0.0` and `::` mean every address of the host. */
  address?: string;
  /** Where the port is written in the task's parameters. */
  path: readonly (string | number)[];
  /** What speaks on it: http for the web console, tcp for broker transports and proxies. */
  protocol: 'tcp' | 'http';
  /** What it is, for messages: "transport openwire", "web console". */
  name: string;
  /** A proxy in front of other hosts (HAProxy), not a service of its own. */
  proxy?: boolean;
  /**
   * The file that configures it (a broker's activemq.xml): tasks that write the same listener into
   * the same file describe one process, not two that would clash.
   */
  file?: string;
}

/** At least one of `params` must be given (when the other parameters meet `when`). */
export interface OneOf<K extends string> {
  params: readonly K[];
  when?: When;
}

export interface ModuleDef<S extends ParamSpecs = ParamSpecs> {
  /** The task key, e.g. `nfs_export`. */
  name: string;
  /** One line, shown in completion and by `amq-run modules`. */
  summary: string;
  /** Markdown, shown on hover over the module key. */
  docs: string;
  params: S;
  /** A plain scalar value sets this parameter: `command: exportfs -ra`. */
  freeForm?: keyof S & string;
  /** Groups of parameters of which at most one may be given. */
  exclusive?: readonly (readonly (keyof S & string)[])[];
  /** Groups of parameters of which at least one must be given. */
  oneOf?: readonly OneOf<keyof S & string>[];
  /** Checks that span parameters beyond what the specs declare (names that refer to each other). Pure. */
  validate?(p: ParamsOf<S>): ParamProblem[];
  /** What must hold between the hosts of one task (brokers sharing a store agree on it). Pure. */
  cluster?(hosts: readonly HostTask<ParamsOf<S>>[], report: (p: ClusterProblem) => void): void;
  /** The ports the task makes its host listen on. Pure. */
  listens?(p: ParamsOf<S>): Listener[];
  /** YAML of one or more tasks; a test validates every example. */
  examples: string;
  /** A probe only waits and verifies (wait_for); it never plans a change. */
  probe?: boolean;
  /** Reads the host and returns ok or the changes to make. Only reads. */
  check?(ctx: CheckContext, p: ParamsOf<S>): Promise<Plan>;
}

export function defineModule<const S extends ParamSpecs>(m: ModuleDef<S>): ModuleDef<S> {
  return m;
}

/** The parameters a module's check receives. */
export type ParamsOfModule<M> = M extends ModuleDef<infer S> ? ParamsOf<S> : never;

/** Modules of any parameters, as the catalog holds them. */
export type AnyModule = ModuleDef<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a rule spanning modules sees of the runbook. */
export interface RunbookView {
  /** Every task of this module, each as its hosts' validated parameters. */
  tasksOf<S extends ParamSpecs>(m: ModuleDef<S>): readonly (readonly HostTask<ParamsOf<S>>[])[];
  /** Every port a task that runs makes its host listen on, in the order of the runbook. */
  listeners(): readonly { task: HostTask<unknown>; listener: Listener }[];
  /** The inventory host an address or name stands for, when it is one. */
  hostAt(addressOrName: string): string | undefined;
}

/** A rule between tasks of different modules (a console backend against the brokers' ports). Pure. */
export interface PlayRule {
  /** What the rule is called in the code; its diagnostics carry rule ids of runbook/rules.ts. */
  name: string;
  check(view: RunbookView, report: (p: ClusterProblem) => void): void;
}

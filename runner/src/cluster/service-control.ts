import type { Analysis } from '../runbook/analyze.js';
import { applyPlan } from '../engine/apply.js';
import { checkContext } from '../engine/context.js';
import { planCommands } from '../engine/describe.js';
import { service } from '../modules/service.js';
import type { ServiceParams } from '../modules/service.js';
import { DryRunTransport } from '../transport/dry-run.js';
import type { Transport } from '../transport/transport.js';
import type { BrokerSpec } from './discover.js';

/** What bringing the broker's service to a state takes: the service module's own plan. */
export interface ServiceStep {
  message: string;
  commands: string[];
  /** Makes the change (nothing to do when the service is already so). */
  run(): Promise<void>;
}

/**
 * The broker's service brought to `state` the way the runbook manages it: its service task's
 * parameters (manager, process, ...), with this state and its boot setting left as it is.
 */
export async function serviceStep(a: Analysis, b: BrokerSpec, t: Transport, state: 'stopped' | 'started', o: { playbookDir: string; signal: AbortSignal; dryRun: boolean }): Promise<ServiceStep> {
  if (!b.service) throw new Error(`the runbook has no service task that keeps the broker on ${b.host} running: the drill cannot stop it the way the runbook manages it`);
  const { enabled: _, ...rest } = b.service as ServiceParams;
  const params = { ...rest, state } as ServiceParams;
  const ctx = checkContext({
    host: { name: b.host, address: b.address },
    transport: o.dryRun ? new DryRunTransport(t) : t,
    become: b.become,
    dryRun: o.dryRun,
    facts: new Map(),
    playbookDir: o.playbookDir,
    vars: a.scopes.scope(b.host, b.play),
    signal: o.signal,
  });
  const plan = await service.check!(ctx, params);
  if (plan.status === 'ok') return { message: plan.note ?? `${params.name} is ${state}`, commands: [], run: async () => undefined };
  return { message: plan.summary, commands: planCommands(plan), run: () => applyPlan(t, plan, b.become) };
}

import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { catalog as defaultCatalog, type Catalog } from '../modules/index.js';
import { checkCluster, type ResolvedTask } from './cluster.js';
import { playRules } from '../modules/rules/index.js';
import { collector, dedupe, type Diagnostic, type Reporter } from './diagnostics.js';
import type { InventoryModel, PlayModel, PlaybookModel, TaskModel, VarDefs } from './model.js';
import { asMap, entries, spanOf } from './nodes.js';
import { parseRunbook, type RunbookDoc } from './parse.js';
import { PlayMemory } from './play-memory.js';
import { readInventory, resolveHosts } from './read-inventory.js';
import { readPlaybook } from './read-playbook.js';
import { defaultsKeys, hostKeys } from './schema.js';
import { ScopeFactory, type Scope } from './scope.js';
import { headSpan } from './structure.js';
import { shadowOf } from './indentation.js';
import { checkUnused } from './unused.js';
import { suppressions, unsuppressed } from './suppress.js';
import { didYouMean } from './suggest.js';
import { resolveParams, resolveWhen } from './resolve-params.js';
import { checkExpressionSyntax } from './placed.js';
import { checkNode, INVALID, secretPlaceholder, type ValueCtx } from './values.js';

export interface AnalyzeEnv {
  /** The playbook's path: the inventory path is relative to its folder. */
  path?: string;
  /** Reads a file by absolute path; null when it cannot be read. */
  readFile?(path: string): string | null;
  /** `-i`: replaces the playbook's own inventory. Absolute, or relative to the current directory. */
  inventoryPath?: string;
  /** `-e key=value`, highest precedence. */
  extraVars?: Record<string, unknown>;
  catalog?: Catalog;
  /** The text already parsed (the editor parses incrementally); used when its text is `text`. */
  doc?: RunbookDoc;
  /** The analysis of the same document before an edit: plays whose text did not change are not checked again. */
  previous?: Analysis;
  /** Secret values for a run; validation uses placeholders. */
  secret?(name: string): string;
}

export interface ResolvedPlay {
  play: PlayModel;
  hosts: string[];
}

export interface Analysis {
  kind: 'playbook' | 'inventory' | 'other';
  doc: RunbookDoc;
  playbook?: PlaybookModel;
  inventory?: InventoryModel;
  /** Absolute path of the inventory file, when it is a file, and its parsed text. */
  inventoryPath?: string;
  inventoryDoc?: RunbookDoc;
  plays: ResolvedPlay[];
  scopes: ScopeFactory;
  extraVars: VarDefs;
  diagnostics: Diagnostic[];
  /** Parameters as validated, per play index, task (or handler) key and host (see taskKey). */
  params: Map<string, Record<string, unknown>>;
  /** The value of each task's `when` per host (true when it has none). */
  whens: Map<string, boolean>;
}

export function taskKey(play: PlayModel, task: TaskModel, host: string): string {
  return `${play.index}|${task.handler ? 'h' : 't'}${task.index}|${host}`;
}


function looksLikeInventory(root: YAMLMap): boolean {
  const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  return !keys.includes('plays') && !keys.includes('name') && keys.some((k) => k === 'hosts' || k === 'groups' || k === 'defaults');
}

/** Reads, resolves and validates a runbook (or an inventory) text. Pure apart from `env.readFile`. */
export function analyze(text: string, given: AnalyzeEnv = {}): Analysis {
  // The analysis before the edit is only read here: closures made below (kept by the result) must
  // not hold it, or every analysis of an edited document would keep the one before it.
  const { previous, ...env } = given;
  const catalog = env.catalog ?? defaultCatalog;
  const doc = env.doc?.text === text ? env.doc : parseRunbook(text);
  const out = collector();
  const byFile = new Map<string | undefined, Reporter>([[undefined, out.report]]);
  const reporter = (file: string | undefined): Reporter => {
    let r = byFile.get(file);
    if (!r) {
      const c = collector(file);
      r = (d) => c.report(d);
      byFile.set(file, r);
      extra.push(c.list);
    }
    return r;
  };
  const extra: Diagnostic[][] = [];
  out.list.push(...doc.syntax);
  const extraVars: VarDefs = new Map(
    Object.entries(env.extraVars ?? {}).map(([name, value]) => [name, { name, level: 'extra' as const, value }]),
  );
  const emptyPlaybook: PlaybookModel = { vars: new Map(), secrets: new Map(), plays: [] };
  const result: Analysis = {
    kind: 'other',
    doc,
    plays: [],
    extraVars,
    scopes: new ScopeFactory({ playbook: emptyPlaybook, playbookDoc: doc, extraVars, secret: secretPlaceholder, checkSecrets: true, reporter }),
    diagnostics: [],
    params: new Map(),
    whens: new Map(),
  };
  const finish = () => {
    const own = unsuppressed(quietAroundSyntaxErrors(doc, out.list), suppressions(doc.text));
    const inventory = result.inventoryDoc ? suppressions(result.inventoryDoc.text) : [];
    result.diagnostics = dedupe([...own, ...extra.flat().filter((d) => d.file === undefined || unsuppressed([d], inventory).length)]);
    return result;
  };

  const root = doc.yaml.contents;
  if (!root || !isMap(root)) {
    if (!doc.syntax.some((d) => d.severity === 'error')) {
      out.report({
        span: spanOf(root, { start: 0, end: Math.min(text.length, 1) }),
        code: 'not-a-runbook',
        message: root ? 'a runbook is a mapping with name and plays' : 'the file is empty',
        hint: 'start with: name: ..., inventory: ..., plays: [...]',
      });
    }
    return finish();
  }

  if (looksLikeInventory(root)) {
    result.kind = 'inventory';
    result.inventory = readInventory(doc, root, out.report);
    result.scopes = new ScopeFactory({ playbook: emptyPlaybook, playbookDoc: doc, inventory: result.inventory, extraVars, secret: secretPlaceholder, checkSecrets: false, reporter: () => out.report });
    checkHosts(result, out.report);
    checkInventoryExpressions(result.inventory, out.report);
    return finish();
  }

  result.kind = 'playbook';
  const playbook = readPlaybook(doc.yaml, root, catalog, out.report);
  result.playbook = playbook;

  // The inventory: -i, else the playbook's own (a file next to it, or inline).
  let inventory: InventoryModel | undefined;
  if (env.inventoryPath !== undefined || (playbook.inventory && 'path' in playbook.inventory)) {
    const given = env.inventoryPath ?? (playbook.inventory as { path: string }).path;
    const base = env.inventoryPath !== undefined ? process.cwd() : env.path ? dirname(env.path) : process.cwd();
    const abs = isAbsolute(given) ? given : resolve(base, given);
    result.inventoryPath = abs;
    const invText = env.readFile?.(abs) ?? null;
    if (invText === null) {
      if (env.inventoryPath === undefined && playbook.inventory) {
        out.report({ span: playbook.inventory.span, code: 'inventory-missing', message: `cannot read the inventory file '${given}'`, hint: `looked for ${abs}` });
      } else {
        reporter(abs)({ span: { start: 0, end: 0 }, code: 'inventory-missing', message: 'cannot read the inventory file', hint: 'check the path given to -i' });
      }
    } else {
      const invDoc = parseRunbook(invText);
      result.inventoryDoc = invDoc;
      const r = reporter(abs);
      for (const d of invDoc.syntax) r(d);
      const invRoot = invDoc.yaml.contents;
      if (invRoot && isMap(invRoot)) inventory = readInventory(invDoc, invRoot, r, abs);
      else if (!invDoc.syntax.length) r({ span: { start: 0, end: 1 }, code: 'not-an-inventory', message: 'an inventory is a mapping with hosts and groups', hint: 'hosts: { broker1: { address: 192.168.10.192 } }' });
    }
  } else if (playbook.inventory && 'inline' in playbook.inventory) {
    inventory = readInventory(doc, playbook.inventory.inline, out.report);
  } else {
    out.report({
      span: headSpan(root, spanOf(root)),
      code: 'no-inventory',
      message: 'the playbook names no inventory',
      hint: 'add inventory: inventory.yaml (or an inline mapping), or pass -i',
    });
  }
  result.inventory = inventory;
  const secretFn = env.secret ?? secretPlaceholder;
  // Everything outside the plays that a play's check depends on.
  const top = (k: string) => entries(doc.yaml, root).find((e) => e.key === k)?.value;
  const context = [env.path, catalog, env.extraVars, env.secret, env.inventoryPath, result.inventoryDoc?.text, ...['vars', 'secrets', 'inventory'].flatMap((k) => [top(k), top(k)?.range?.[0]])];
  const memory = new PlayMemory(result, previous, context);
  result.scopes = new ScopeFactory({ playbook, playbookDoc: doc, ...(inventory ? { inventory } : {}), extraVars, secret: secretFn, checkSecrets: !env.secret, reporter: (file) => memory.tap(reporter(file), file) });

  for (const [name, s] of playbook.secrets) {
    const clash = playbook.vars.get(name);
    if (clash) out.report({ span: s.keySpan, code: 'secret-shadowed', message: `'${name}' is both a secret and a variable; the variable wins`, hint: 'rename one of them', severity: 'warning' });
  }
  if (inventory) {
    checkHosts(result, reporter(inventory.file));
    checkInventoryExpressions(inventory, reporter(inventory.file));
  }

  const resolvedTasks: ResolvedTask[] = [];
  for (const play of playbook.plays) {
    const hosts = inventory ? resolveHosts(inventory, play.hosts) : { hosts: [], unknown: [] };
    for (const u of hosts.unknown) {
      out.report({
        span: u.span,
        code: 'undefined-host',
        message: `no host or group named '${u.name}' in the inventory`,
        hint: didYouMean(u.name, [...(inventory?.hosts.keys() ?? []), ...(inventory?.groups.keys() ?? [])], 'define it in the inventory'),
        ...(inventory ? withReplace(u.name, [...inventory.hosts.keys(), ...inventory.groups.keys()]) : {}),
      });
    }
    if (inventory && play.hosts.length && !hosts.unknown.length && !hosts.hosts.length) {
      out.report({ span: play.hostsSpan ?? play.span, code: 'no-hosts', message: `play '${play.name}' matches no host`, severity: 'warning' });
    }
    result.plays.push({ play, hosts: hosts.hosts });
    checkNames(play, out.report);
    const before = memory.reuse(play);
    if (before) {
      for (const d of before.reports) (d.file === undefined ? out.report : reporter(d.file))(d);
      for (const [k, v] of before.whens) result.whens.set(k, v);
      for (const [k, v] of before.params) result.params.set(k, v);
      for (const r of before.resolved) {
        const task = (r.handler ? play.handlers : play.tasks).find((t) => t.index === r.index)!;
        resolvedTasks.push({ play, task, host: r.host, params: r.params, vars: result.scopes.scope(r.host, play), runs: result.whens.get(taskKey(play, task, r.host)) !== false });
      }
      continue;
    }
    const outcome = memory.begin(play);
    const report = memory.tap(out.report);
    for (const host of hosts.hosts) {
      const scope = result.scopes.scope(host, play);
      evaluateVars(scope);
      const ctx: ValueCtx = { text, doc: doc.yaml, resolver: scope, report, checkSecrets: !env.secret };
      for (const task of [...play.tasks, ...play.handlers]) {
        const when = checkWhen(ctx, task);
        if (when !== INVALID) {
          result.whens.set(taskKey(play, task, host), when);
          outcome.whens.push([taskKey(play, task, host), when]);
        }
        const mod = task.module ? catalog.get(task.module) : undefined;
        if (!mod) continue;
        const params = resolveParams(ctx, task, mod);
        if (params === INVALID) continue;
        result.params.set(taskKey(play, task, host), params as Record<string, unknown>);
        outcome.params.push([taskKey(play, task, host), params as Record<string, unknown>]);
        resolvedTasks.push({ play, task, host, params: params as Record<string, unknown>, vars: scope, runs: when !== false });
        outcome.resolved.push({ handler: task.handler, index: task.index, host, params: params as Record<string, unknown> });
      }
    }
    memory.end();
  }
  checkCluster(doc, resolvedTasks, catalog, playRules, out.report, (x) => hostAt(result, x));
  const templates = [...new Set(resolvedTasks.filter((t) => t.task.module === 'template' && typeof t.params.src === 'string').map((t) => t.params.src as string))];
  checkUnused(
    {
      playbook,
      docs: [doc.yaml, ...(result.inventoryDoc ? [result.inventoryDoc.yaml] : [])],
      templates: templates.flatMap((src) => env.readFile?.(isAbsolute(src) || !env.path ? src : resolve(dirname(env.path), src)) ?? []),
    },
    out.report,
  );
  memory.keep();
  return finish();
}

/** The inventory host with this name or address. */
function hostAt(a: Analysis, addressOrName: string): string | undefined {
  const inv = a.inventory;
  if (!inv) return undefined;
  if (inv.hosts.has(addressOrName)) return addressOrName;
  for (const name of inv.hosts.keys()) if (a.scopes.address(name, undefined) === addressOrName) return name;
  return undefined;
}

/** A line indented wrongly confuses what follows it: only its own diagnostic shows there. */
function quietAroundSyntaxErrors(doc: RunbookDoc, list: Diagnostic[]): Diagnostic[] {
  const mistakes = doc.syntax.filter((d) => d.code === 'indentation');
  if (!mistakes.length) return list;
  const shadows = mistakes.map((d) => shadowOf(doc.text, d.span.start));
  return list.filter((d) => doc.syntax.includes(d) || !shadows.some((s) => d.span.start >= s.start && d.span.start < s.end));
}

function withReplace(name: string, candidates: string[]): { data?: { replace: string } } {
  const hint = didYouMean(name, candidates);
  const m = hint && /'(.*)'/.exec(hint);
  return m ? { data: { replace: m[1] } } : {};
}

/** Task and handler names unique; every notify names a handler; every handler is notified. */
function checkNames(play: PlayModel, report: Reporter): void {
  for (const [list, what] of [[play.tasks, 'task'], [play.handlers, 'handler']] as const) {
    const seen = new Map<string, TaskModel>();
    for (const t of list) {
      if (!t.name) continue;
      if (seen.has(t.name)) {
        report({
          span: t.nameSpan ?? t.span,
          code: `duplicate-${what}`,
          message: `${what} name '${t.name}' is used twice in play '${play.name}'`,
          hint: what === 'task' ? 'task names are unique in a play: the output and --start-at name them' : 'handler names are unique in a play: notify names them',
        });
      } else seen.set(t.name, t);
    }
  }
  const handlers = new Set(play.handlers.map((h) => h.name));
  const notified = new Set<string>();
  for (const t of play.tasks) {
    for (const n of t.notify) {
      notified.add(n.name);
      if (!handlers.has(n.name)) {
        const hint = didYouMean(n.name, handlers, handlers.size ? `handlers of this play: ${[...handlers].join(', ')}` : 'add it under handlers: in this play');
        report({ span: n.span, code: 'undefined-handler', message: `notify names '${n.name}', which is not a handler of this play`, hint, ...withReplace(n.name, [...handlers]) });
      }
    }
  }
  for (const h of play.handlers) {
    if (h.name && !notified.has(h.name)) {
      report({ span: h.nameSpan ?? h.span, code: 'unused-handler', message: `handler '${h.name}' is never notified`, severity: 'warning', hint: 'add notify: to the task whose change needs it' });
    }
  }
}

function checkWhen(ctx: ValueCtx, task: TaskModel): boolean | typeof INVALID {
  const w = task.when;
  if (w && isScalar(w) && typeof w.value === 'string' && !w.value.includes('{{')) {
    const yamlBool = /^(yes|no|on|off|y|n|true|false)$/i.test(w.value);
    ctx.report({
      span: spanOf(w),
      code: 'wrong-type',
      message: `when must be true, false or an expression, not '${w.value}'`,
      hint: yamlBool ? 'YAML 1.2 reads yes/no/on/off as strings: write true or false' : `to test a variable, write when: "{{ ${w.value} }}"`,
    });
    return INVALID;
  }
  return resolveWhen(ctx, task);
}

/**
 * The runbook's own variables are evaluated for every host, so errors in their definitions show
 * even when unused. Inventory variables are evaluated where a playbook uses them: an inventory
 * serves several playbooks, and one may define what only another needs.
 */
function evaluateVars(scope: Scope): void {
  for (const name of scope.varNames()) {
    const level = scope.definition(name)?.level;
    if (level === 'playbook' || level === 'play') scope.lookup(name);
  }
}

/** The syntax of every expression in the inventory's variables, used or not. */
function checkInventoryExpressions(inv: InventoryModel, report: Reporter): void {
  const defs = [...inv.hosts.values(), ...inv.groups.values()].flatMap((x) => [...x.vars.values()]);
  for (const d of defs) checkExpressionSyntax(inv.doc, d.node, report);
}

/** Connection fields of each host: typed, ports in range, passwords from secrets. */
function checkHosts(a: Analysis, report: Reporter): void {
  const inv = a.inventory!;
  const check = (map: YAMLMap | undefined, host: string | undefined, specs: typeof hostKeys) => {
    const scope = a.scopes.scope(host, undefined);
    const ctx: ValueCtx = { text: inv.doc.text, doc: inv.doc.yaml, resolver: scope, report, checkSecrets: a.scopes.input.checkSecrets };
    for (const e of entries(inv.doc.yaml, map)) {
      const spec = specs[e.key];
      if (!spec || e.key === 'vars') continue;
      if (spec.secret && a.kind === 'inventory') {
        // Alone, an inventory cannot know the playbook's secrets: only insist on an expression.
        if (!(isScalar(e.value) && typeof e.value.value === 'string' && e.value.value.includes('{{'))) {
          report({ span: spanOf(e.value, e.keySpan), code: 'secret-required', message: `${e.key} must come from a secret, never be written in the inventory`, hint: 'write "{{ name }}" with name declared under the playbook\'s secrets:' });
        }
        continue;
      }
      checkNode(ctx, e.value, spec, e.key, e.keySpan);
    }
  };
  const inline = a.playbook?.inventory && 'inline' in a.playbook.inventory ? a.playbook.inventory.inline : undefined;
  const top = inline ?? asMap(inv.doc.yaml.contents);
  const section = (k: string) => asMap(entries(inv.doc.yaml, top).find((e) => e.key === k)?.value);
  check(section('defaults'), undefined, defaultsKeys);
  for (const e of entries(inv.doc.yaml, section('hosts'))) check(asMap(e.value), e.key, hostKeys);
}

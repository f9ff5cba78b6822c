import { POISON, type Lazy, type Resolver } from './expr.js';
import type { Reporter } from './diagnostics.js';
import type { HostModel, InventoryModel, PlayModel, PlaybookModel, VarDef, VarDefs } from './model.js';
import type { RunbookDoc } from './parse.js';
import { INVALID, renderNode } from './placed.js';

export interface ScopeInput {
  playbook: PlaybookModel;
  playbookDoc: RunbookDoc;
  inventory?: InventoryModel;
  extraVars: VarDefs;
  /** A secret's value; at validation time a placeholder. */
  secret(name: string): string;
  /** Whether secret values are placeholders that `secret` parameters are checked against. */
  checkSecrets: boolean;
  /** Where problems inside variable definitions are reported, per document (undefined = the playbook). */
  reporter(file: string | undefined): Reporter;
}

const lazy = (keys: () => string[], get: (k: string) => { found: true; value: unknown } | { found: false }): Lazy => ({
  lazy: true,
  keys,
  get,
});

/**
 * One host's view of the variables in one play, by precedence (lowest first):
 * playbook vars < group vars (all, then parents before children) < host vars < play vars < -e.
 */
export class Scope implements Resolver {
  private readonly layers: VarDefs[];
  private readonly cache = new Map<VarDef, unknown>();
  private readonly evaluating: VarDef[] = [];

  constructor(
    private readonly factory: ScopeFactory,
    readonly host: HostModel | undefined,
    readonly play: PlayModel | undefined,
  ) {
    const { playbook, inventory, extraVars } = factory.input;
    const groupLayers = host && inventory ? host.groups.map((g) => inventory.groups.get(g)?.vars ?? new Map()) : [];
    this.layers = [playbook.vars, ...groupLayers, host?.vars ?? new Map(), play?.vars ?? new Map(), extraVars];
  }

  /** Every definition of a name visible here, lowest precedence first; the last one wins. */
  definitions(name: string): VarDef[] {
    return this.layers.map((l) => l.get(name)).filter((d): d is VarDef => d !== undefined);
  }

  definition(name: string): VarDef | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const d = this.layers[i].get(name);
      if (d) return d;
    }
    return undefined;
  }

  varNames(): string[] {
    const names = new Set<string>();
    for (const l of this.layers) for (const k of l.keys()) names.add(k);
    return [...names];
  }

  names(): string[] {
    return [...this.varNames(), ...this.factory.input.playbook.secrets.keys(), 'host', 'hosts', 'groups'];
  }

  lookup(name: string): { found: true; value: unknown } | { found: false } {
    const def = this.definition(name);
    if (def) return { found: true, value: this.valueOf(def) };
    if (this.factory.input.playbook.secrets.has(name)) return { found: true, value: this.factory.input.secret(name) };
    if (name === 'host') return this.host ? { found: true, value: this.factory.hostObject(this.host.name, this.play) } : { found: false };
    if (name === 'hosts') return { found: true, value: this.factory.hostsObject(this.play) };
    if (name === 'groups') return { found: true, value: this.factory.groupsObject() };
    return { found: false };
  }

  /** The variables as a lazy mapping (for `host.vars` and `hosts.X.vars`). */
  varsObject(): Lazy {
    return lazy(
      () => this.varNames(),
      (k) => {
        const def = this.definition(k);
        return def ? { found: true, value: this.valueOf(def) } : { found: false };
      },
    );
  }

  private valueOf(def: VarDef): unknown {
    if (this.cache.has(def)) return this.cache.get(def);
    if (this.evaluating.includes(def)) {
      const chain = [...this.evaluating.slice(this.evaluating.indexOf(def)).map((d) => d.name), def.name].join(' → ');
      this.factory.input.reporter(def.file)({
        span: def.keySpan ?? { start: 0, end: 0 },
        code: 'variable-cycle',
        message: `variable '${def.name}' depends on itself: ${chain}`,
        hint: 'break the cycle with a literal value',
      });
      return POISON;
    }
    this.evaluating.push(def);
    try {
      let value: unknown;
      if (def.node !== undefined) {
        const doc = def.file === undefined ? this.factory.input.playbookDoc : this.factory.input.inventory!.doc;
        const ctx = {
          text: doc.text,
          doc: doc.yaml,
          resolver: this,
          report: this.factory.input.reporter(def.file),
          checkSecrets: this.factory.input.checkSecrets,
        };
        const v = renderNode(ctx, def.node);
        value = v === INVALID ? POISON : v;
      } else value = def.value; // -e values are taken literally
      this.cache.set(def, value);
      return value;
    } finally {
      this.evaluating.pop();
    }
  }
}

/** Creates and caches scopes; provides the shared `hosts` and `groups` objects. */
export class ScopeFactory {
  private readonly scopes = new Map<string, Scope>();

  constructor(readonly input: ScopeInput) {}

  scope(host: string | undefined, play: PlayModel | undefined): Scope {
    const key = `${play?.index ?? -1}|${host ?? ''}`;
    let s = this.scopes.get(key);
    if (!s) {
      s = new Scope(this, host ? this.input.inventory?.hosts.get(host) : undefined, play);
      this.scopes.set(key, s);
    }
    return s;
  }

  hostObject(name: string, play: PlayModel | undefined): Lazy {
    const inv = this.input.inventory;
    const h = inv?.hosts.get(name);
    const scope = () => this.scope(name, play);
    const field = (k: 'address' | 'port' | 'user'): unknown => {
      const node = h?.fields[k] ?? inv?.defaults[k];
      const fallback = k === 'address' ? name : k === 'port' ? 22 : undefined;
      if (node === undefined || !inv) return fallback;
      const v = renderNode({ text: inv.doc.text, doc: inv.doc.yaml, resolver: scope(), report: () => undefined }, node);
      return v === INVALID || v === null ? fallback : v;
    };
    const keys = ['name', 'address', 'port', 'user', 'groups', 'vars'];
    return lazy(
      () => keys,
      (k) => {
        switch (k) {
          case 'name':
            return { found: true, value: name };
          case 'address':
          case 'port':
          case 'user': {
            const v = field(k);
            return v === undefined ? { found: false } : { found: true, value: v };
          }
          case 'groups':
            return { found: true, value: h ? [...h.groups] : [] };
          case 'vars':
            return { found: true, value: scope().varsObject() };
          default:
            return { found: false };
        }
      },
    );
  }

  /** A host's address as the runbook sees it (`host.address`): the inventory's, else its name. */
  address(name: string, play: PlayModel | undefined): string {
    const v = this.hostObject(name, play).get('address');
    return v.found ? String(v.value) : name;
  }

  hostsObject(play: PlayModel | undefined): Lazy {
    const names = () => [...(this.input.inventory?.hosts.keys() ?? [])];
    return lazy(names, (k) => (this.input.inventory?.hosts.has(k) ? { found: true, value: this.hostObject(k, play) } : { found: false }));
  }

  groupsObject(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const g of this.input.inventory?.groups.values() ?? []) out[g.name] = [...g.members];
    if (!out.all) out.all = [];
    return out;
  }
}


import * as all from './catalog.js';
import type { AnyModule } from './lib/define.js';

/** The one list of modules, by name: the editor, `validate`, `modules` and the runner all read it. */
export const modules: readonly AnyModule[] = Object.values(all).sort((a: AnyModule, b: AnyModule) => a.name.localeCompare(b.name));

export type Catalog = ReadonlyMap<string, AnyModule>;

export const catalog: Catalog = new Map(modules.map((m) => [m.name, m]));

import type { Catalog } from '../../../runner/src/modules/index.js';
import type { AnyModule } from '../../../runner/src/modules/lib/define.js';
import { typesOf, type ParamSpec } from '../../../runner/src/modules/lib/params.js';
import type { VarLevel } from '../../../runner/src/runbook/model.js';
import {
  defaultsKeys,
  groupKeys,
  handlerKeys,
  hostKeys,
  inventoryKeys,
  playKeys,
  playbookKeys,
  secretKeys,
  taskKeys,
  type KeySpecs,
} from '../../../runner/src/runbook/schema.js';
import { EACH_SPECS } from '../../../runner/src/runbook/each.js';
import type { PathSeg } from './types.js';

export type MapKind = 'playbook' | 'play' | 'task' | 'handler' | 'params' | 'vars' | 'secrets' | 'secret' | 'inventory' | 'defaults' | 'hosts' | 'host' | 'groups' | 'group';

/** What the runbook format says about a path: the keys a mapping takes, or what a value holds. */
export interface Place {
  /** The path names a mapping of this kind. */
  map?: MapKind;
  /** The keys that mapping takes, with their docs. */
  keys?: KeySpecs;
  /** For a task's parameters (and the fields below them): the module. */
  module?: AnyModule;
  /** The spec of the value at the path. */
  spec?: ParamSpec;
  /** The value names hosts, groups (patterns of both, as `hosts:` takes) or handlers. */
  names?: 'hosts' | 'groups' | 'patterns' | 'handlers';
  /** The path is in a variables mapping of this level; `variable` is the one it is under. */
  level?: VarLevel;
  variable?: string;
  /** A list of plays, tasks or handlers. */
  listOf?: 'play' | 'task' | 'handler';
  /** An item of a parameter's list: it may be a `for_each` item making items of this spec. */
  each?: ParamSpec;
}

type Root = 'playbook' | 'inventory';

function mapPlace(kind: MapKind, keys?: KeySpecs, module?: AnyModule): Place {
  return { map: kind, ...(keys ? { keys } : {}), ...(module ? { module } : {}) };
}

/** The place of a spec's value: a mapping of fields, a list, or a scalar. */
function specPlace(spec: ParamSpec, module: AnyModule): Place {
  if (spec.fields && typesOf(spec).includes('map')) return { map: 'params', keys: spec.fields, module, spec };
  return { spec, module };
}

function step(place: Place, seg: PathSeg, catalog: Catalog): Place | undefined {
  const key = typeof seg === 'string' ? seg : undefined;
  if (place.variable !== undefined) return place;
  if (place.each && place.module && key === 'item') return specPlace(place.each, place.module);
  if (place.each && (key === 'for_each' || key === 'as')) return { spec: EACH_SPECS[key] };
  switch (place.map) {
    case 'playbook':
      if (key === 'plays') return listOf('play');
      if (key === 'vars') return { map: 'vars', level: 'playbook' };
      if (key === 'secrets') return { map: 'secrets' };
      if (key === 'inventory') return mapPlace('inventory', inventoryKeys);
      return key && playbookKeys[key] ? { spec: playbookKeys[key] } : undefined;
    case 'play':
      if (key === 'tasks') return listOf('task');
      if (key === 'handlers') return listOf('handler');
      if (key === 'vars') return { map: 'vars', level: 'play' };
      if (key === 'hosts') return { spec: playKeys.hosts, names: 'patterns' };
      return key && playKeys[key] ? { spec: playKeys[key] } : undefined;
    case 'task':
    case 'handler': {
      const keys = place.map === 'task' ? taskKeys : handlerKeys;
      if (key === 'notify') return { spec: taskKeys.notify, names: 'handlers' };
      if (key && keys[key]) return { spec: keys[key] };
      const mod = key ? catalog.get(key) : undefined;
      return mod ? mapPlace('params', mod.params, mod) : undefined;
    }
    case 'params': {
      const spec = key ? place.keys?.[key] : undefined;
      return spec && place.module ? specPlace(spec, place.module) : undefined;
    }
    case 'vars':
      return key ? { level: place.level!, variable: key } : undefined;
    case 'secrets':
      return key ? mapPlace('secret', secretKeys) : undefined;
    case 'secret':
      return key && secretKeys[key] ? { spec: secretKeys[key] } : undefined;
    case 'inventory':
      if (key === 'hosts') return { map: 'hosts' };
      if (key === 'groups') return { map: 'groups' };
      if (key === 'defaults') return mapPlace('defaults', defaultsKeys);
      return undefined;
    case 'defaults':
      return key && defaultsKeys[key] ? { spec: defaultsKeys[key] } : undefined;
    case 'hosts':
      return key ? mapPlace('host', hostKeys) : undefined;
    case 'host':
      if (key === 'vars') return { map: 'vars', level: 'host' };
      return key && hostKeys[key] ? { spec: hostKeys[key] } : undefined;
    case 'groups':
      return key ? mapPlace('group', groupKeys) : undefined;
    case 'group':
      if (key === 'vars') return { map: 'vars', level: 'group' };
      if (key === 'hosts') return { spec: groupKeys.hosts, names: 'hosts' };
      if (key === 'children') return { spec: groupKeys.children, names: 'groups' };
      return undefined;
  }
  // A list: its items; a list of scalars keeps what it names.
  if (place.listOf) return typeof seg === 'number' || seg === '' ? listItem(place) : undefined;
  if (place.names) return place;
  if (place.spec && place.module) {
    const s = place.spec;
    if (typesOf(s).includes('list') && s.items && (typeof seg === 'number' || seg === '')) return { ...specPlace(s.items, place.module), each: s.items };
    return undefined;
  }
  return undefined;
}

function listOf(kind: 'play' | 'task' | 'handler'): Place {
  return { listOf: kind };
}

function listItem(place: Place): Place {
  switch (place.listOf) {
    case 'play':
      return mapPlace('play', playKeys);
    case 'task':
      return mapPlace('task', taskKeys);
    default:
      return mapPlace('handler', handlerKeys);
  }
}

/** The place a path leads to in a playbook or an inventory; undefined where the format says nothing. */
export function placeOf(path: readonly PathSeg[], root: Root, catalog: Catalog): Place | undefined {
  let place: Place | undefined = root === 'playbook' ? mapPlace('playbook', playbookKeys) : mapPlace('inventory', inventoryKeys);
  for (const seg of path) {
    place = place && step(place, seg, catalog);
    if (!place) return undefined;
  }
  return place;
}

import type { Document, YAMLMap } from 'yaml';
import { typesOf, type ParamType } from '../modules/lib/params.js';
import type { Reporter, Span } from './diagnostics.js';
import { entries, kindOf, spanOf, type Entry, type YNode } from './nodes.js';
import type { KeySpecs } from './schema.js';
import { closest, listOf } from './suggest.js';

const KIND_FITS: Record<ReturnType<typeof kindOf>, ParamType[]> = {
  map: ['map', 'any'],
  list: ['list', 'any'],
  string: ['string', 'path', 'hostport', 'duration', 'mode', 'any'],
  number: ['int', 'port', 'string', 'any'],
  bool: ['bool', 'any'],
  null: [],
};

export const KIND_LABEL: Record<ReturnType<typeof kindOf>, string> = {
  map: 'a mapping',
  list: 'a list',
  string: 'a string',
  number: 'a number',
  bool: 'a boolean',
  null: 'empty',
};

/** The span at which "missing X" is reported for a mapping: its first key, or the mapping itself. */
export function headSpan(map: YAMLMap, fallback: Span): Span {
  const first = map.items[0];
  if (first) {
    const k = spanOf(first.key as YNode);
    if (k.end > k.start) return k;
  }
  return spanOf(map, fallback);
}

/**
 * Checks a mapping against its key specs: unknown keys (with did-you-mean), the kind of
 * each value, and required keys. Returns the entries it holds.
 */
export function checkKeys(
  doc: Document,
  map: YAMLMap,
  specs: KeySpecs,
  report: Reporter,
  what: string,
  opts: { isExtra?(key: string): boolean; anchor?: Span; skipRequired?: boolean } = {},
): Entry[] {
  const list = entries(doc, map);
  for (const e of list) {
    const spec = specs[e.key];
    if (!spec) {
      if (opts.isExtra?.(e.key)) continue;
      const near = closest(e.key, Object.keys(specs));
      report({
        span: e.keySpan,
        code: 'unknown-key',
        message: `unknown key '${e.key}' in ${what}`,
        hint: near ? `did you mean '${near}'?` : `keys: ${listOf(Object.keys(specs), 12)}`,
        ...(near ? { data: { replace: near } } : {}),
      });
      continue;
    }
    const kind = kindOf(e.value);
    if (kind === 'null') continue;
    const types = typesOf(spec);
    if (!KIND_FITS[kind].some((t) => types.includes(t))) {
      report({
        span: spanOf(e.value, e.keySpan),
        code: 'wrong-type',
        message: `'${e.key}' must be ${types.map(article).join(' or ')}, not ${KIND_LABEL[kind]}`,
        hint: spec.description,
      });
    }
  }
  if (!opts.skipRequired) {
    const missing = Object.entries(specs)
      .filter(([k, s]) => s.required && !list.some((e) => e.key === k && kindOf(e.value) !== 'null'))
      .map(([k]) => k);
    if (missing.length) {
      report({
        span: opts.anchor ?? headSpan(map, spanOf(map)),
        code: 'missing-required',
        message: `${what} is missing '${missing.join("', '")}'`,
        hint: specs[missing[0]].description,
        data: { missing },
      });
    }
  }
  return list;
}

export function article(t: ParamType): string {
  switch (t) {
    case 'int':
      return 'a whole number';
    case 'port':
      return 'a port number';
    case 'list':
      return 'a list';
    case 'map':
      return 'a mapping';
    case 'bool':
      return 'true or false';
    case 'mode':
      return 'a quoted octal mode';
    case 'hostport':
      return 'host:port';
    case 'duration':
      return 'a duration';
    case 'path':
      return 'a path';
    case 'any':
      return 'a value';
    default:
      return 'a string';
  }
}

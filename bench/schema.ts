import type { Catalog } from '../runner/src/modules/index.js';
import { typesOf, type ParamSpec } from '../runner/src/modules/lib/params.js';
import { handlerKeys, playKeys, playbookKeys, secretKeys, taskKeys, type KeySpecs } from '../runner/src/runbook/schema.js';

/**
 * A JSON schema of the runbook format, generated from the catalog and the key specs, so that a
 * schema-driven YAML server can be measured on the same documents. Any string may be `{{ }}`.
 */
type Json = Record<string, unknown>;

const EXPR = { type: 'string', pattern: '\\{\\{' };

function typeSchema(spec: ParamSpec, t: string): Json {
  switch (t) {
    case 'int':
      return { type: 'integer' };
    case 'port':
      return { type: 'integer', minimum: 1, maximum: 65535 };
    case 'bool':
      return { type: 'boolean' };
    case 'list':
      return { type: 'array', ...(spec.items ? { items: specSchema(spec.items) } : {}) };
    case 'map':
      return spec.fields ? objectSchema(spec.fields) : { type: 'object' };
    case 'any':
      return {};
    default:
      return spec.choices ? { type: 'string', enum: [...spec.choices] } : { type: 'string' };
  }
}

function specSchema(spec: ParamSpec): Json {
  const alternatives = typesOf(spec).map((t) => typeSchema(spec, t));
  const base: Json = { description: spec.description, ...(spec.default !== undefined ? { default: spec.default } : {}) };
  return { ...base, anyOf: [...alternatives, EXPR] };
}

function objectSchema(fields: KeySpecs, extra: Record<string, Json> = {}): Json {
  const properties: Record<string, Json> = {};
  for (const [k, s] of Object.entries(fields)) properties[k] = specSchema(s);
  Object.assign(properties, extra);
  const required = Object.entries(fields)
    .filter(([, s]) => s.required)
    .map(([k]) => k);
  return { type: 'object', properties, additionalProperties: false, ...(required.length ? { required } : {}) };
}

function taskSchema(keys: KeySpecs, catalog: Catalog): Json {
  const modules: Record<string, Json> = {};
  for (const m of catalog.values()) {
    const params = objectSchema(m.params as KeySpecs);
    modules[m.name] = { description: m.summary, anyOf: [params, ...(m.freeForm ? [{ type: 'string' }] : [{ type: 'null' }])] };
  }
  return objectSchema(keys, modules);
}

export function runbookSchema(catalog: Catalog): Json {
  const vars = { type: 'object', description: playbookKeys.vars.description };
  const play = objectSchema(playKeys, {
    vars,
    tasks: { type: 'array', description: playKeys.tasks.description, items: taskSchema(taskKeys, catalog) },
    handlers: { type: 'array', description: playKeys.handlers.description, items: taskSchema(handlerKeys, catalog) },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'amq-runbook playbook',
    ...objectSchema(playbookKeys, {
      vars,
      secrets: { type: 'object', additionalProperties: objectSchema(secretKeys) },
      plays: { type: 'array', description: playbookKeys.plays.description, items: play },
    }),
  };
}

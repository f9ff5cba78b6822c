/** The types a parameter (or a runbook key) may take. */
export type ParamType =
  | 'string'
  | 'int'
  | 'bool'
  | 'path'
  | 'mode'
  | 'port'
  | 'hostport'
  | 'duration'
  | 'list'
  | 'map'
  | 'any';

export interface ParamSpec {
  type: ParamType | readonly ParamType[];
  /** One line: shown on hover, in completion and by `amq-run modules`. */
  description: string;
  required?: boolean;
  default?: unknown;
  choices?: readonly string[];
  /** The spec of each item of a list. */
  items?: ParamSpec;
  /** The fields of a mapping; a mapping with fields accepts no other keys. */
  fields?: Readonly<Record<string, ParamSpec>>;
  /** The value may only come from a declared secret (passwords). */
  secret?: boolean;
}

export function typesOf(spec: ParamSpec): readonly ParamType[] {
  return typeof spec.type === 'string' ? [spec.type] : spec.type;
}

export function typeLabel(spec: ParamSpec): string {
  const t = typesOf(spec)
    .map((x) => {
      if (x === 'list' && spec.items) return `list of ${typeLabel(spec.items)}`;
      if (x === 'mode') return 'mode ("0755")';
      if (x === 'hostport') return 'host:port';
      return x;
    })
    .join(' or ');
  return t;
}

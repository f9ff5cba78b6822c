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
  | 'regex'
  | 'list'
  | 'map'
  | 'any';

/** Other parameters' values that make a rule apply: `{ state: 'present' }`, `{ manager: ['auto', 'sysv'] }`. */
export type When = Readonly<Record<string, string | boolean | readonly (string | boolean)[]>>;

export interface ParamSpec {
  type: ParamType | readonly ParamType[];
  /** One line: shown on hover, in completion and by `amq-run modules`. */
  description: string;
  required?: boolean;
  /** Required only when other parameters have these values. */
  requiredWhen?: When;
  /** Allowed only when other parameters have these values. */
  onlyWhen?: When;
  default?: unknown;
  choices?: readonly string[];
  /** The least value of a number, or the fewest items of a list. */
  min?: number;
  /** A string that must fit on one line. */
  singleLine?: boolean;
  /** The spec of each item of a list. */
  items?: ParamSpec;
  /** Items of a list are unique by this field (or by their own value, for `'.'`). */
  uniqueBy?: string;
  /** The fields of a mapping; a mapping with fields accepts no other keys. */
  fields?: Readonly<Record<string, ParamSpec>>;
  /** A plain value written for the mapping sets this one field: `management_connector: false`. */
  scalarField?: string;
  /** The value may only come from a declared secret (passwords). */
  secret?: boolean;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

type Elem<T> = T extends readonly (infer U)[] ? U : T;

type ScalarOf<T extends ParamType, S> = T extends 'string'
  ? S extends { choices: readonly (infer C extends string)[] }
    ? string extends C
      ? string
      : C
    : string
  : T extends 'path' | 'mode' | 'hostport' | 'duration' | 'regex'
    ? string
    : T extends 'int' | 'port'
      ? number
      : T extends 'bool'
        ? boolean
        : T extends 'list'
          ? S extends { items: infer I extends ParamSpec }
            ? ValueOf<I>[]
            : unknown[]
          : T extends 'map'
            ? S extends { fields: infer F extends ParamSpecs }
              ? ParamsOf<F>
              : Record<string, unknown>
            : unknown;

/** The value a spec describes, after validation: `choices` give literal unions, lists and mappings recurse. */
export type ValueOf<S extends ParamSpec> = Elem<S['type']> extends infer T ? (T extends ParamType ? ScalarOf<T, S> : never) : never;

/** A parameter always present after validation: required, or filled in from its default. */
type Always<S> = S extends { required: true } ? true : S extends { default: unknown } ? true : false;

type Flat<T> = { [K in keyof T]: T[K] } & {};

/** The parameters a module's check receives, derived from its specs. */
export type ParamsOf<F extends ParamSpecs> = Flat<
  { -readonly [K in keyof F as Always<F[K]> extends true ? K : never]: ValueOf<F[K]> } & {
    -readonly [K in keyof F as Always<F[K]> extends true ? never : K]?: ValueOf<F[K]>;
  }
>;

export function typesOf(spec: ParamSpec): readonly ParamType[] {
  return typeof spec.type === 'string' ? [spec.type] : spec.type;
}

export function typeLabel(spec: ParamSpec): string {
  const t = typesOf(spec)
    .map((x) => {
      if (x === 'list' && spec.items) return `list of ${typeLabel(spec.items)}`;
      if (x === 'mode') return 'mode ("0755")';
      if (x === 'hostport') return 'host:port';
      if (x === 'regex') return 'regular expression';
      if (x === 'map' && spec.scalarField && spec.fields?.[spec.scalarField]) return `map (or its ${spec.scalarField} alone: ${typeLabel(spec.fields[spec.scalarField])})`;
      return x;
    })
    .join(' or ');
  return t;
}

/** `state is 'present'`, `manager is 'auto', 'systemd' or 'sysv'`. */
export function whenText(when: When): string {
  return Object.entries(when)
    .map(([k, v]) => {
      const list = (Array.isArray(v) ? v : [v]).map((x) => `'${String(x)}'`);
      return `${k} is ${list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : list[0]}`;
    })
    .join(' and ');
}

/** Whether the given parameter values meet a `when`. An absent parameter meets nothing. */
export function meets(when: When, values: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(when).every(([k, v]) => (Array.isArray(v) ? v : [v]).includes(values[k] as string | boolean));
}

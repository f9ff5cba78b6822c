import type { ParamSpec } from './params.js';

/** Parameters shared by every module that owns a file's attributes. */
export const owner = { type: 'string', description: 'user that owns it (name or uid)' } as const satisfies ParamSpec;
export const group = { type: 'string', description: 'group that owns it (name or gid)' } as const satisfies ParamSpec;
export const mode = { type: 'mode', description: 'permissions as a quoted octal string, e.g. "0644"' } as const satisfies ParamSpec;
export const backup = {
  type: 'bool',
  default: false,
  description: 'keep the old file as FILE.TIMESTAMP~ before replacing it',
} as const satisfies ParamSpec;

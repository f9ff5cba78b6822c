import type { ParamSpec } from './params.js';

/** Parameters shared by every module that owns a file's attributes. */
export const owner: ParamSpec = { type: 'string', description: 'user that owns it (name or uid)' };
export const group: ParamSpec = { type: 'string', description: 'group that owns it (name or gid)' };
export const mode: ParamSpec = { type: 'mode', description: 'permissions as a quoted octal string, e.g. "0644"' };
export const backup: ParamSpec = {
  type: 'bool',
  default: false,
  description: 'keep the old file as FILE.TIMESTAMP~ before replacing it',
};

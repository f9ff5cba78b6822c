import type { YAMLMap } from 'yaml';
import type { Span } from './diagnostics.js';
import type { RunbookDoc } from './parse.js';
import type { YNode } from './nodes.js';

export type VarLevel = 'playbook' | 'group' | 'host' | 'play' | 'extra' | 'secret';

/** Where a variable is defined, and its value: a YAML node (expressions rendered lazily) or a plain value (-e). */
export interface VarDef {
  name: string;
  level: VarLevel;
  /** The group, host or play the definition belongs to. */
  owner?: string;
  node?: YNode;
  value?: unknown;
  keySpan?: Span;
  /** The document it is in: undefined for the playbook, else the inventory's path. */
  file?: string;
}

export type VarDefs = Map<string, VarDef>;

export interface Named {
  name: string;
  span: Span;
}

export interface SecretDef {
  name: string;
  env?: string;
  file?: string;
  keySpan: Span;
}

export interface TaskModel {
  index: number;
  name: string;
  nameSpan?: Span;
  /** The whole task mapping. */
  span: Span;
  node: YAMLMap;
  module?: string;
  moduleKeySpan?: Span;
  params: YNode;
  notify: Named[];
  when?: YNode;
  tags: string[];
  become?: boolean;
  ignoreErrors: boolean;
  handler: boolean;
}

export interface PlayModel {
  index: number;
  name: string;
  nameSpan?: Span;
  span: Span;
  node: YAMLMap;
  hosts: Named[];
  hostsSpan?: Span;
  become: boolean;
  serial?: number | string;
  /** The play's own tags; its tasks and handlers have them too. */
  tags: string[];
  vars: VarDefs;
  tasks: TaskModel[];
  handlers: TaskModel[];
}

export interface PlaybookModel {
  name?: string;
  inventory?: { path: string; span: Span } | { inline: YAMLMap; span: Span };
  vars: VarDefs;
  secrets: Map<string, SecretDef>;
  plays: PlayModel[];
}

export interface ConnectionFields {
  address?: YNode;
  user?: YNode;
  port?: YNode;
  identity?: YNode;
  password?: YNode;
  become_password?: YNode;
  connection?: YNode;
  known_hosts?: YNode;
  connect_timeout?: YNode;
  become?: YNode;
}

export interface HostModel {
  name: string;
  keySpan: Span;
  fields: ConnectionFields;
  vars: VarDefs;
  /** Every group the host is in, directly or through children; `all` first. */
  groups: string[];
}

export interface GroupModel {
  name: string;
  keySpan?: Span;
  hosts: Named[];
  children: Named[];
  vars: VarDefs;
  /** Depth in the children tree: parents' variables yield to their children's. */
  depth: number;
  /** Every host of the group, through children too. */
  members: string[];
}

export interface InventoryModel {
  /** The file, when the inventory is not inline. */
  file?: string;
  doc: RunbookDoc;
  defaults: ConnectionFields;
  hosts: Map<string, HostModel>;
  groups: Map<string, GroupModel>;
}

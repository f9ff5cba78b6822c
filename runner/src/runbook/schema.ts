import type { ParamSpec } from '../modules/lib/params.js';

/** The keys of each part of a runbook, with the docs the editor shows. */
export type KeySpecs = Readonly<Record<string, ParamSpec>>;

export const playbookKeys: KeySpecs = {
  name: { type: 'string', required: true, description: 'the name of the runbook, shown when it runs' },
  inventory: { type: ['path', 'map'], description: 'the inventory: a file relative to this one, or an inline mapping; -i overrides it' },
  vars: { type: 'map', description: 'variables for every play (lowest precedence)' },
  secrets: { type: 'map', description: 'values never printed: { env: NAME } or { file: path }; prompted for on a TTY when unset' },
  plays: { type: 'list', required: true, description: 'the plays, run in order' },
};

export const playKeys: KeySpecs = {
  name: { type: 'string', required: true, description: 'the name of the play' },
  hosts: { type: ['string', 'list'], required: true, description: 'a group, a host, a list of them, or all' },
  become: { type: 'bool', default: false, description: 'run commands through sudo' },
  serial: { type: ['int', 'string'], description: 'how many hosts at a time (a number or a percentage); default all at once' },
  tags: { type: ['string', 'list'], description: 'tags every task and handler of the play has, for --tags and --skip-tags' },
  vars: { type: 'map', description: 'variables of this play (above inventory variables, below -e)' },
  tasks: { type: 'list', description: 'the tasks, run in order on every host of the play' },
  handlers: { type: 'list', description: 'tasks run once at the end of the play when a task notified them and changed something' },
};

export const taskKeys: KeySpecs = {
  name: { type: 'string', required: true, description: 'the name of the task, unique in its play' },
  notify: { type: ['string', 'list'], description: 'handlers to run at the end of the play when this task changed something' },
  when: { type: ['bool', 'string'], description: 'a condition: "{{ variable }}"; false skips the task' },
  tags: { type: ['string', 'list'], description: 'tags for --tags and --skip-tags' },
  become: { type: 'bool', description: "run this task's commands through sudo (overrides the play)" },
  ignore_errors: { type: 'bool', default: false, description: 'a failure of this task does not stop the host' },
};

export const handlerKeys: KeySpecs = {
  name: taskKeys.name,
  when: taskKeys.when,
  become: taskKeys.become,
  ignore_errors: taskKeys.ignore_errors,
};

export const secretKeys: KeySpecs = {
  env: { type: 'string', description: 'the environment variable holding the value' },
  file: { type: 'path', description: 'a file holding the value (its first line), relative to the playbook' },
};

const connectionFields: KeySpecs = {
  user: { type: 'string', description: 'the SSH user' },
  port: { type: 'port', description: 'the SSH port (22)' },
  identity: { type: 'path', description: 'private key file for SSH' },
  password: { type: 'string', secret: true, description: 'SSH password, only from a secret' },
  become_password: { type: 'string', secret: true, description: 'sudo password, only from a secret' },
  connection: { type: 'string', choices: ['ssh', 'local'], description: 'ssh, or local: run on this machine without SSH' },
  known_hosts: { type: 'path', description: 'known_hosts file that pins the host keys (~/.ssh/known_hosts)' },
  connect_timeout: { type: 'int', description: 'seconds to wait for the SSH connection (10)' },
  become: { type: 'bool', description: 'false: never sudo on this host, even where a play has become (a local preview as an ordinary user)' },
};

export const inventoryKeys: KeySpecs = {
  defaults: { type: 'map', description: 'connection settings for every host' },
  hosts: { type: 'map', description: 'the hosts: NAME: { address, user, port, vars, ... }' },
  groups: { type: 'map', description: 'the groups: NAME: { hosts: [...], children: [...], vars: {...} }' },
};

export const defaultsKeys: KeySpecs = connectionFields;

export const hostKeys: KeySpecs = {
  address: { type: 'string', description: 'the address or DNS name to connect to (the host name by default)' },
  ...connectionFields,
  vars: { type: 'map', description: 'variables of this host' },
};

export const groupKeys: KeySpecs = {
  hosts: { type: 'list', description: 'the hosts of the group' },
  children: { type: 'list', description: 'groups whose hosts belong to this group too' },
  vars: { type: 'map', description: 'variables of the hosts of this group' },
};

/** Names the expression language provides; variables may not use them. */
export const BUILTIN_VARS: Readonly<Record<string, string>> = {
  host: 'the current host: host.name, host.address, host.port, host.user, host.groups, host.vars',
  hosts: 'every host by name: hosts.broker1.address, hosts.broker1.vars.broker_name',
  groups: 'every group as a list of host names: groups.brokers, groups.brokers[0]; groups.all',
};

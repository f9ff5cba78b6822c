/**
 * Every rule a diagnostic can come from, with one sentence each: the `code` of a diagnostic is its
 * rule id, `amq-run rules` lists them, SARIF names them, and `# amq-lint: disable=RULE` silences one.
 */
export const RULES = {
  // The YAML and the shape of a runbook
  'yaml-syntax': 'the file is not valid YAML',
  'duplicate-key': 'a key appears twice in one mapping',
  indentation: 'a line is indented differently from the keys it belongs with, or with a tab',
  'not-a-runbook': 'the file is not a mapping with name and plays',
  'not-an-inventory': 'the inventory is not a mapping with hosts and groups',
  empty: 'the playbook has no plays',
  'unknown-key': 'a key the runbook format does not know, with the nearest known key',
  'unknown-module': 'a task key that names no module of the catalog, with the nearest module',
  'two-modules': 'a task names more than one module',
  'no-module': 'a task names no module',
  // Values against the specs
  'unknown-param': 'a parameter or field the module does not have, with the nearest one',
  'missing-required': 'a required key, parameter or field is missing (or one of a group the module needs)',
  'wrong-type': 'a value is not of the type its key takes',
  'bad-choice': 'a value is not one of the values its parameter allows',
  'bad-value': 'a value breaks a rule of its parameter (least value, one line, only with another value)',
  'port-range': 'a port outside 1-65535',
  'mode-not-octal': 'a file mode that is not a quoted octal string (YAML reads 0755 as a number)',
  'bad-hostport': 'a value that must be host:port is not',
  'bad-regex': 'a regular expression that does not compile',
  exclusive: 'parameters that cannot be given together',
  'duplicate-item': 'an item appears twice in a list whose items are unique',
  'secret-required': 'a password written in the runbook instead of coming from a secret',
  'secret-shadowed': 'a name is both a secret and a variable',
  // Variables and expressions
  'bad-variable-name': 'a variable, secret or element name that is not a valid name',
  'reserved-variable': 'a variable named like a built-in (host, hosts, groups)',
  'variable-cycle': 'a variable whose value depends on itself',
  'undefined-variable': 'an expression reads a variable that is not defined, with the nearest name',
  'expression-syntax': 'an expression that does not parse',
  'unknown-filter': 'a filter that does not exist, with the nearest one',
  'filter-type': 'a filter given the wrong kind of value or arguments',
  'bad-path': 'a path into a list or value that does not have it (an index out of range)',
  'unused-variable': 'a variable declared by the playbook that nothing reads',
  'unused-secret': 'a secret declared by the playbook that nothing reads',
  // Hosts and inventory
  'inventory-missing': 'the inventory file cannot be read',
  'no-inventory': 'the playbook names no inventory',
  'undefined-host': 'a play names a host or group the inventory does not have',
  'undefined-group': 'a group lists a child group that does not exist',
  'no-hosts': 'a play matches no host',
  'bad-host-name': 'an inventory host name with characters a host name cannot have',
  'name-clash': 'a name that is both a host and a group',
  'group-cycle': 'groups that contain each other',
  // Tasks and handlers
  'duplicate-task': 'two tasks of a play with one name',
  'duplicate-handler': 'two handlers of a play with one name',
  'undefined-handler': 'notify names a handler the play does not have',
  'unused-handler': 'a handler no task notifies',
  'undefined-backend': 'an HAProxy frontend sends to a backend that is not defined',
  // The cluster
  'amq-broker-name-unset': 'brokers of one task keep the brokerName of their files (Debian says localhost on every host)',
  'amq-broker-name-clash': 'two brokers would have the same brokerName',
  'amq-store-mismatch': 'brokers of a shared store point at different data or KahaDB directories',
  'amq-transport-mismatch': 'brokers of one task offer different transports or limits',
  'amq-users-mismatch': 'brokers of one task have different users or passwords',
  'amq-destinations-mismatch': 'brokers of one task create different queues or topics',
  'amq-policy-mismatch': 'brokers of one task have different limits, destination policies, redelivery or scheduler directory',
  'amq-heap-mismatch': 'brokers of one task run with different JVM heaps',
  'amq-store-guard-elsewhere': "a store guard watches a mount that does not hold the broker's data and KahaDB directories",
  'amq-console-on-transport': 'an HAProxy web console backend sends HTTP to a broker transport port',
  'amq-network-connector': 'a network connector to the broker itself, to a port its peer does not serve, or a duplex bridge declared from both ends',
  'amq-anonymous-access': 'a broker lets clients in without a login (anonymous_access: true)',
  'amq-secret-readable': "activemq.xml holds a password (TLS stores, a network connector) and every user of the host may read it",
  'amq-users-without-authentication': 'users are declared for a broker that asks no login',
  'amq-authorization-group': 'an authorization entry names a group no user belongs to, or no destination',
  'amq-network-credentials': 'a network connector to a broker that asks for a login has no user and password, or one the peer does not have',
  'port-clash': 'two tasks (or two entries of one) make one host listen on the same port',
  'haproxy-backend': "an HAProxy server that does not point at a broker of the runbook on a port it serves in the backend's mode",
  'haproxy-ha-backend': 'a master/slave backend that leaves out a broker of the store, or has more than one primary',
  'nfs-mount-source': 'an NFS mount of a path its server does not export',
} as const;

export type RuleId = keyof typeof RULES;

export function isRule(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}

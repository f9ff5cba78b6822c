/** A host of the inventory `init` writes. */
export interface StartHost {
  name: string;
  address: string;
  group: string;
  vars: Record<string, string>;
  /** A comment for the host's line: what it is for, what to change. */
  note?: string;
}

/** What `amq-run init` can start from: a shipped playbook and its hosts. */
export interface ProjectKind {
  playbook: string;
  hosts(brokers: number): StartHost[];
}

// The classic addresses of the setup guide; more brokers continue after broker2.
const NET = '192.168.10';
const brokerName = (i: number) => `broker${i}`;
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

function brokers(n: number, vars: (i: number) => Record<string, string>, note: (i: number) => string | undefined): StartHost[] {
  return range(1, n).map((i) => ({ name: brokerName(i), address: `${NET}.${191 + i}`, group: 'brokers', vars: vars(i), ...(note(i) ? { note: note(i) } : {}) }));
}

/** Broker i is .191+i: the sequence stays inside the /24 up to .254. */
export const MAX_BROKERS = 254 - 191;

const BROKER_NAME_NOTE = 'broker_name: the brokerName in activemq.xml, distinct per broker';

export const HA: ProjectKind = {
  playbook: 'ha.yaml',
  hosts: (n) => [
    { name: 'nfs1', address: `${NET}.191`, group: 'nfs', vars: {}, note: 'the NFS server: it exports the store the brokers share' },
    ...brokers(n, (i) => ({ broker_name: brokerName(i) }), (i) => (i === 1 ? BROKER_NAME_NOTE : undefined)),
    { name: 'lb1', address: `${NET}.100`, group: 'lb', vars: {}, note: 'HAProxy: the address clients connect to' },
  ],
};

export const NETWORK: ProjectKind = {
  playbook: 'network.yaml',
  // Each broker forwards to every other one of the group: the playbook makes one connector per peer.
  hosts: (n) => brokers(n, (i) => ({ broker_name: brokerName(i) }), (i) => (i === 1 ? BROKER_NAME_NOTE : undefined)),
};

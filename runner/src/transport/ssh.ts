import { NodeSSH } from 'node-ssh';
import { describeConnectError, type SshTarget } from './ssh-errors.js';
import { HostKeyCheck } from './ssh-host-key.js';
import { expandHome, readIdentity } from './ssh-identity.js';
import { SessionTransport } from './session-transport.js';
import { ShellSession } from './shell-session.js';
import { UnreachableError, type Transport } from './transport.js';

export interface SshOptions {
  /** The host's name in the inventory (for messages). */
  host: string;
  /** Address or DNS name to connect to. */
  address: string;
  port?: number;
  user: string;
  /** Private key file (`~` is expanded). Without it the SSH agent (SSH_AUTH_SOCK) is asked. */
  identity?: string;
  passphrase?: string;
  /** Login password (from a secret). */
  password?: string;
  /** Password for sudo; it goes to sudo on stdin, never on a command line. */
  becomePassword?: string;
  /** Default ~/.ssh/known_hosts. */
  knownHosts?: string;
  /** Trust and record the key of a host that known_hosts does not list. */
  acceptNew?: boolean;
  /** Time for the TCP connect, the handshake and authentication together. */
  timeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
// A peer that stops answering is noticed after at most interval * (count + 1), about 9 s.
const KEEPALIVE_INTERVAL_MS = 3_000;
const KEEPALIVE_COUNT_MAX = 2;

/** The parts of ssh2's client and channel this file uses (node-ssh exposes the client untyped). */
interface Channel {
  on(event: 'data', cb: (b: Buffer) => void): this;
  on(event: 'close' | 'end', cb: () => void): this;
  on(event: 'error', cb: (e: Error) => void): this;
  stderr: { on(event: 'data', cb: (b: Buffer) => void): void };
  write(data: string): boolean;
  end(data?: string): void;
  close(): void;
}

interface Client {
  exec(cmd: string, cb: (err: Error | undefined, ch: Channel) => void): void;
  on(event: 'error', cb: (e: Error & { level?: string }) => void): this;
  on(event: 'end' | 'close', cb: () => void): this;
  end(): void;
  setNoDelay(noDelay: boolean): void;
}

/** Opens the one connection to a host used for the whole run. Throws UnreachableError. */
export async function connectSsh(o: SshOptions): Promise<Transport> {
  const port = o.port ?? 22;
  const target: SshTarget = { user: o.user, address: o.address, port };
  const knownHosts = expandHome(o.knownHosts ?? '~/.ssh/known_hosts');
  const check = new HostKeyCheck(knownHosts, target, o.acceptNew ?? false);
  const timeoutMs = o.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

  const auth: Record<string, unknown> = {};
  const tried: string[] = [];
  if (o.identity !== undefined) {
    auth.privateKey = readIdentity(o.host, target, o.identity);
    if (o.passphrase !== undefined) auth.passphrase = o.passphrase;
    tried.push(`key ${o.identity}`);
  } else if (process.env.SSH_AUTH_SOCK) {
    auth.agent = process.env.SSH_AUTH_SOCK;
    tried.push('the SSH agent');
  }
  if (o.password !== undefined) {
    auth.password = o.password;
    tried.push('password');
  }
  if (!tried.length) {
    throw new UnreachableError(o.host, `cannot log in to ${o.user}@${o.address}:${port}: no identity, no SSH agent (SSH_AUTH_SOCK) and no password given`);
  }

  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      host: o.address,
      port,
      username: o.user,
      ...auth,
      readyTimeout: timeoutMs,
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      algorithms: { serverHostKey: check.algorithms() },
      hostVerifier: (key: Buffer) => check.verify(key),
    } as Parameters<NodeSSH['connect']>[0]);
  } catch (e) {
    ssh.dispose();
    throw new UnreachableError(o.host, check.refusal ?? describeConnectError(e, target, timeoutMs, tried));
  }
  return new SshTransport(o.host, ssh, target, o.user === 'root', o.becomePassword);
}

class SshTransport extends SessionTransport {
  private readonly client: Client;
  private lost: string | undefined;
  private session: ShellSession | undefined;

  constructor(
    host: string,
    private readonly ssh: NodeSSH,
    private readonly target: SshTarget,
    isRoot: boolean,
    becomePassword: string | undefined,
  ) {
    super(host, isRoot, becomePassword);
    this.client = ssh.connection as unknown as Client;
    // Commands are many small request/reply exchanges; Nagle's algorithm would hold each back ~40 ms.
    this.client.setNoDelay(true);
    this.client.on('error', (e) => {
      this.lost ??= e.level === 'client-timeout' ? 'the host stopped answering (keepalive timeout)' : `connection lost: ${e.message}`;
    });
    this.client.on('end', () => void (this.lost ??= 'connection lost'));
    this.client.on('close', () => void (this.lost ??= 'connection lost'));
  }

  private unreachable(): UnreachableError {
    return new UnreachableError(this.host, `${this.target.user}@${this.target.address}:${this.target.port}: ${this.lost ?? 'connection lost'}`);
  }

  /** The shell all commands go through, opened on first use (and again if it ended). */
  protected shell(): Promise<ShellSession> {
    if (this.session?.alive) return Promise.resolve(this.session);
    return new Promise((resolve, reject) => {
      try {
        this.client.exec('sh', (err, ch) => {
          if (err) {
            reject(this.lost ? this.unreachable() : new Error(`${this.host}: cannot start a shell: ${err.message}`));
            return;
          }
          ch.on('error', () => undefined);
          this.session = new ShellSession(
            {
              write: (t) => ch.write(t),
              onOut: (cb) => ch.on('data', cb),
              onErr: (cb) => ch.stderr.on('data', cb),
              onClose: (cb) => ch.on('close', cb),
              close: () => ch.end(),
            },
            () => (this.lost ? this.unreachable() : this.lostSoon()),
          );
          resolve(this.session);
        });
      } catch {
        this.lost ??= 'connection lost';
        reject(this.unreachable());
      }
    });
  }

  /** The shell ended: if the connection dropped with it, that shows a moment later. */
  private lostSoon(): Error {
    return new UnreachableError(this.host, `${this.target.user}@${this.target.address}:${this.target.port}: the remote shell ended (connection lost?)`);
  }

  protected override ensureUsable(): void {
    if (this.lost) throw this.unreachable();
  }

  /** A channel of its own: the shell's is busy with the command to stop. */
  protected beside(command: string, stdin: string | undefined): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.client.exec(command, (err, ch) => {
          if (err) return resolve();
          ch.on('error', () => undefined);
          ch.on('data', () => undefined);
          ch.stderr.on('data', () => undefined);
          ch.on('close', () => resolve());
          ch.end(stdin);
        });
      } catch {
        resolve();
      }
    });
  }

  async close(): Promise<void> {
    if (!this.lost) await this.abort();
    this.lost ??= 'connection closed';
    this.ssh.dispose();
  }
}

import { NodeSSH } from 'node-ssh';
import { describeConnectError, type SshTarget } from './ssh-errors.js';
import { HostKeyCheck } from './ssh-host-key.js';
import { expandHome, readIdentity } from './ssh-identity.js';
import { q } from './quote.js';
import { ShellSession } from './shell-session.js';
import { withSudo } from './sudo.js';
import { UnreachableError, type ExecOptions, type ExecResult, type Transport } from './transport.js';

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
const GRACE_MS = 5_000;

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

/**
 * The command under the host's `timeout`, which kills its whole process group at the deadline:
 * closing the channel does not stop a command, and sshd refuses signal requests in root sessions.
 */
function withDeadline(command: string, ms: number): string {
  const secs = Math.max(1, Math.ceil(ms / 1000));
  return `if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL ${secs} sh -c ${q(command)}; else exec sh -c ${q(command)}; fi`;
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

class SshTransport implements Transport {
  private readonly client: Client;
  private lost: string | undefined;
  private session: ShellSession | undefined;

  constructor(
    readonly host: string,
    private readonly ssh: NodeSSH,
    private readonly target: SshTarget,
    private readonly isRoot: boolean,
    private readonly becomePassword: string | undefined,
  ) {
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
  private shell(): Promise<ShellSession> {
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

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.lost) throw this.unreachable();
    let stdin = opts.stdin;
    if (opts.timeoutMs) command = withDeadline(command, opts.timeoutMs);
    if (opts.sudo && !this.isRoot) ({ command, stdin } = withSudo(command, stdin, this.becomePassword));
    const session = await this.shell();
    if (!opts.timeoutMs) return session.run(command, stdin);
    // The host's `timeout` ends the command; should even that not answer, the session is given up.
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        session.close();
        reject(new Error(`${this.host}: no answer ${opts.timeoutMs! + GRACE_MS} ms after the command's deadline`));
      }, opts.timeoutMs! + GRACE_MS);
    });
    try {
      const r = await Promise.race([session.run(command, stdin), guard]);
      return r.code === 137 ? { ...r, stderr: `${r.stderr}${r.stderr && !r.stderr.endsWith('\n') ? '\n' : ''}(timed out after ${opts.timeoutMs} ms)` } : r;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.lost ??= 'connection closed';
    this.ssh.dispose();
  }
}

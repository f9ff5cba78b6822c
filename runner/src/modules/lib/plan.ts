/** What a check found: nothing to do, or the changes that would bring the host to the desired state. */
export type Plan = OkPlan | ChangePlan;

export interface OkPlan {
  status: 'ok';
  note: string;
  /** A probe in a dry-run that would wait: whether what it waits for comes is known only when the run gets there. */
  unknown?: string;
}

export interface ChangePlan {
  status: 'change';
  summary: string;
  changes: Change[];
  /** Some effect cannot be known before it happens (a command's effect in a dry-run). */
  unknown?: string;
  /** The service this plan (re)starts: once it ran, the service runs everything changed before it. */
  starts?: string;
}

export type Change =
  | {
      kind: 'file';
      path: string;
      /** null: the file does not exist yet. */
      before: string | null;
      after: string;
      mode?: string;
      owner?: string;
      group?: string;
      /** A command run on the candidate file before it replaces the old one; `%s` is its path. */
      validate?: string;
      backup?: boolean;
      /** Human lines naming what changed, beside the unified diff. */
      details?: string[];
    }
  | {
      /** Bytes from the controller (an archive, a binary): compared and shown by checksum, not diffed. */
      kind: 'upload';
      path: string;
      data: Buffer;
      sha256: string;
      /** The checksum of the file on the host now; null when there is none. */
      before: string | null;
      mode?: string;
      owner?: string;
      group?: string;
      backup?: boolean;
    }
  | { kind: 'remove'; path: string; before: string | null }
  | {
      kind: 'attrs';
      path: string;
      mode?: [from: string, to: string];
      owner?: [from: string, to: string];
      group?: [from: string, to: string];
      recurse?: boolean;
    }
  | { kind: 'dir'; path: string; mode?: string; owner?: string; group?: string }
  | {
      kind: 'command';
      cmd: string;
      why?: string;
      /** Paths this command creates or removes, so a dry-run's later checks can know. */
      creates?: string[];
      removes?: string[];
      /** Users and groups the command creates (exists) or removes, so a dry-run's later checks can know. */
      accounts?: { kind: 'user' | 'group'; name: string; exists: boolean }[];
      /** Paths where the command shows something else (a mount): what is at and below them is not known before it runs. */
      covers?: string[];
      /**
       * The paths above are all it changes that a later check reads (a module's own reload, restart
       * or mount). Without it the command may change anything (a free-form command, a package
       * install), and a dry-run's later checks that fail on the host may not fail after it.
       */
      declared?: boolean;
      /** Variables exported in the host's shell before the command runs: given on its stdin, never on a command line. */
      env?: Record<string, string>;
      /** Human lines naming what the command changes (a certificate's subject and fingerprint). */
      details?: string[];
    };

export const ok = (note: string, unknown?: string): Plan => ({ status: 'ok', note, ...(unknown !== undefined ? { unknown } : {}) });

export const change = (summary: string, ...changes: Change[]): ChangePlan => ({ status: 'change', summary, changes });

/** The default of a switch over every kind of change: a kind added to Change and not handled there fails to compile. */
export function unknownChange(c: never): never {
  throw new Error(`a change of unknown kind: ${JSON.stringify(c)}`);
}

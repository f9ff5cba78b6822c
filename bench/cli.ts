/** `npm run bench [-- --fleet N [--repeats R]]`: the HA bench, or the fleet bench on N hosts. */
import { benchFleet, KINDS, SHELLS, type Kind, type Shells } from './fleet.js';

const KIND_FLAGS = ['first', 'no-op', 'dry-run'] as const;
import { benchHa } from './ha.js';

const USAGE = 'usage: npm run bench [-- --fleet N [--repeats R] [--shells clean,startup] [--kinds first,no-op,dry-run]]';

interface Args {
  fleet?: number;
  repeats: number;
  /** Which remote shells: started clean, with a start-up file, or both (each takes as long). */
  shells: Shells[];
  kinds: Kind[];
}

/** A comma-separated list, each item one of `allowed`. */
function listOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] | string {
  const items = (value ?? '').split(',').filter(Boolean);
  const bad = items.find((x) => !allowed.includes(x as T));
  if (!items.length || bad !== undefined) return `'${flag}' takes some of ${allowed.join(',')}`;
  return items as T[];
}

function parse(argv: string[]): Args | string {
  const out: Args = { repeats: 3, shells: [...SHELLS], kinds: [...KINDS] };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--shells' || argv[i] === '--kinds') {
      const list = argv[i] === '--shells' ? listOf(argv[i]!, argv[i + 1], SHELLS) : listOf(argv[i]!, argv[i + 1], KIND_FLAGS);
      if (typeof list === 'string') return list;
      if (argv[i] === '--shells') out.shells = list as Shells[];
      else out.kinds = (list as string[]).map((k) => (k === 'first' ? 'first run' : k) as Kind);
      continue;
    }
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) return `'${argv[i]}' takes a whole number of 1 or more`;
    if (argv[i] === '--fleet') out.fleet = n;
    else if (argv[i] === '--repeats') out.repeats = n;
    else return `unknown argument '${argv[i]}'`;
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const o = parse(argv);
  if (typeof o === 'string') {
    console.error(`bench: ${o}; ${USAGE}`);
    return 2;
  }
  return o.fleet === undefined ? benchHa() : benchFleet(o.fleet, { repeats: o.repeats, shells: o.shells, kinds: o.kinds });
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);

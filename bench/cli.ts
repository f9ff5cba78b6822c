/** `npm run bench [-- --fleet N [--repeats R]]`: the HA bench, or the fleet bench on N hosts. */
import { benchFleet } from './fleet.js';
import { benchHa } from './ha.js';

const USAGE = 'usage: npm run bench [-- --fleet N [--repeats R] [--clean-only]]';

interface Args {
  fleet?: number;
  repeats: number;
  /** Only the headline: remote shells started clean (the line with start-up files takes as long again). */
  cleanOnly: boolean;
}

function parse(argv: string[]): Args | string {
  const out: Args = { repeats: 3, cleanOnly: false };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--clean-only') {
      out.cleanOnly = true;
      i--;
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
  return o.fleet === undefined ? benchHa() : benchFleet(o.fleet, o.repeats, o.cleanOnly);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);

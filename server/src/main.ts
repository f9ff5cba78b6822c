import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import { earlyOverIpc, earlyOverStdio, type Early } from './early-init.js';

// Parsing a large runbook makes many short-lived objects. By default V8 answers by growing the young
// generation and the heap limit, and keeps that memory: a fixed young generation and a lower growth
// factor keep the server near what it uses, for a few percent more time in the collector.
setFlagsFromString('--min-semi-space-size=4');
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=70');

const args = process.argv.slice(2);
if (!args.some((a) => /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/.test(a))) {
  process.stderr.write('usage: amq-lsp --stdio   (or --node-ipc, --socket=PORT, --pipe=NAME): the runbook language server, for an editor to start\n');
  process.exit(1);
}

// `initialize` is answered before the rest is loaded (early-init.ts).
let early: Early | undefined;
if (args.includes('--stdio')) early = await earlyOverStdio();
else if (args.includes('--node-ipc') && process.send) early = await earlyOverIpc();

// The server's CommonJS dependencies, loaded with require() before the ES modules that import them:
// Node then reuses them instead of scanning their sources for exports, which costs memory. (In a
// bundle they are inlined and cannot be found by name: nothing to do then.)
const require = createRequire(import.meta.url);
for (const dep of ['yaml', 'vscode-languageserver/node', 'vscode-languageserver-textdocument']) {
  try {
    require(dep);
  } catch {
    break;
  }
}

const { startServer } = await import('./server.js');
startServer(early);

import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The three bundles the .vsix carries: the extension (CommonJS, as VS Code loads it, `vscode`
 * provided by the editor), the language server and the runner (each one ES module with
 * everything it imports, so the .vsix needs no node_modules and no amq-run on PATH). Bundling the
 * runner rather than shipping its compiled files with its production dependencies: one 1.1 MB
 * file instead of 34 MB and 6,000 files, and no compiled native addons, so one .vsix fits every
 * platform.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// A new build replaces the old one whole: the server's chunks are named by their content.
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });

// CommonJS dependencies inside an ES module bundle need a require of their own.
const requireBanner = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };

/**
 * What the runner's bundle leaves out: Ink's devtools (loaded only with DEV=true; it would pull in
 * react-devtools-core and ws) and native addons (ssh2 and cpu-features try them and fall back to
 * JavaScript when they are missing).
 */
const leaveOut: Plugin = {
  name: 'leave-out',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (a) => (/[\\/]ink[\\/]/.test(a.importer) ? { path: a.path, namespace: 'left-out' } : undefined));
    b.onResolve({ filter: /\.node$/ }, (a) => ({ path: a.path, namespace: 'left-out-native' }));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'export {};', loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'left-out-native' }, (a) => ({ contents: `throw new Error(${JSON.stringify(`${a.path} is not in the bundle`)});`, loader: 'js' }));
  },
};

const common = { absWorkingDir: ROOT, bundle: true, platform: 'node', target: 'node20', minify: true, logLevel: 'warning' } as const;

await build({ ...common, entryPoints: ['extension/src/extension.ts'], outfile: 'dist/extension.cjs', format: 'cjs', external: ['vscode'] });

// The server's entry stays small: it answers `initialize` before the chunk with the rest is read.
await build({
  ...common,
  entryPoints: { server: 'server/src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'server-[name]-[hash]',
  format: 'esm',
  banner: requireBanner,
});

await build({
  ...common,
  entryPoints: ['runner/src/cli.ts'],
  outfile: 'dist/runner.mjs',
  format: 'esm',
  banner: requireBanner,
  plugins: [leaveOut],
  // React and its reconciler keep only their production builds.
  define: { 'process.env.NODE_ENV': '"production"' },
});

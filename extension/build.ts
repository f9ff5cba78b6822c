import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * The two bundles the .vsix carries: the extension (CommonJS, as VS Code loads it, `vscode`
 * provided by the editor) and the language server (one ES module with everything it imports).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

await build({
  absWorkingDir: ROOT,
  entryPoints: ['extension/src/extension.ts'],
  outfile: 'dist/extension.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: true,
  logLevel: 'warning',
});

// The server's entry stays small: it answers `initialize` before the chunk with the rest is read.
await build({
  absWorkingDir: ROOT,
  entryPoints: { server: 'server/src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'server-[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies inside an ES module bundle need a require of their own.
  minify: true,
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

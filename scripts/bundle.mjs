// Bundles the extension client, the language server and the CLI into dist/ (one file each), and
// compiles every JSON Schema of schemas/ ahead of time into dist/schemas/<path>.js, so that no
// session waits for a schema to compile. Runs after `tsc -b`: the compile options come from out/.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
};

/** Writes each schema's standalone validator module; returns their paths, keyed by their path under schemas/. */
function standaloneValidators(into) {
  const Ajv = require('ajv').default;
  const standaloneCode = require('ajv/dist/standalone').default;
  const { SCHEMA_COMPILE_OPTIONS } = require('../out/server/src/engine/schemas.js');
  const modules = {};
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) {
        const relative = path.relative('schemas', full).replace(/\.json$/, '');
        const ajv = new Ajv({ ...SCHEMA_COMPILE_OPTIONS, code: { source: true } });
        const file = path.join(into, `${relative}.js`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, standaloneCode(ajv, ajv.compile(JSON.parse(fs.readFileSync(full, 'utf8')))));
        modules[relative] = file;
      }
    }
  };
  walk('schemas');
  return modules;
}

// Generated inside the repository, so that their `require('ajv/dist/runtime/…')` resolve to node_modules.
const generated = 'out/schemas';
fs.rmSync('dist/schemas', { recursive: true, force: true });

await Promise.all([
  // Each validator on its own, with the few ajv runtime helpers it needs: loaded only when used.
  build({ ...common, sourcemap: false, entryPoints: standaloneValidators(generated), outdir: 'dist/schemas' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  // The rollout view's page runs in a webview: a browser script, and its stylesheet.
  build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['client/webview/rollout.ts'], outfile: 'dist/rollout.js' }),
  build({ ...common, platform: 'browser', entryPoints: ['client/webview/rollout.css'], outfile: 'dist/rollout.css' }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);

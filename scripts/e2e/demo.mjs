// `npm start`: the product in a real VS Code workbench. Installs what is missing (into a cache
// folder), packages and installs the extension into a fresh code-server, opens a copy of the
// bundled DJ examples, and prints the local URL. Ctrl+C stops it.
import * as path from 'node:path';
import { ensureTools, freePort, installExtension, packageExtension, REPO, scratch, startCodeServer } from './codeServer.mjs';
import * as fs from 'node:fs';

ensureTools();
const vsix = packageExtension();
const dirs = scratch('mk-demo-');
installExtension(dirs, vsix);
const workspace = path.join(dirs.root, 'examples');
fs.cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
const requested = Number(process.env.PORT ?? 8080);
const port = await new Promise((resolve) => {
  // Use the requested port when it is free, any free one otherwise.
  import('node:net').then(({ createServer }) => {
    const probe = createServer();
    probe.once('error', () => freePort().then(resolve));
    probe.listen(requested, '127.0.0.1', () => probe.close(() => resolve(requested)));
  });
});
const server = await startCodeServer(dirs, { port });
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdout.write(
  [
    '',
    `Mesh Kustomize is running in VS Code (code-server): ${server.url}/?folder=${encodeURIComponent(workspace)}`,
    `The workspace is a copy of examples/ at ${workspace}:`,
    '  dj/              the DJ app at the canary 5 % stage (stage lenses on kustomization.yaml)',
    '  dj-broken/       the canary router enabled while v2 is commented out (errors and quick fixes)',
    '  dj-gateway-api/  the same app on Gateway API HTTPRoutes at canary 5 % (shares on each route)',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);
await new Promise(() => undefined);

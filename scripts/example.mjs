// Runs the CLI on the bundled examples: examples/dj, examples/dj-gateway-api and examples/reviews-istio are valid canary stages, examples/dj-broken
// enables the canary router while the v2 files are commented out. Errors found are the point of the
// demo, so exit status 1 is success here; bad usage (2) or a crash is not.
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['dist/cli.js', 'check', 'examples/dj', 'examples/dj-gateway-api', 'examples/reviews-istio', 'examples/dj-broken'], {
  stdio: 'inherit',
});
process.exitCode = result.status === 0 || result.status === 1 ? 0 : 1;

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { POLICY_GROUP, POLICY_SERVED_KINDS, PROFILE_GROUP, PROFILE_KIND, SMI_SPLIT_GROUP } from '../../server/src/engine/dialects/linkerd/api';

const ENGINE = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'engine');
const LINKERD = path.join(ENGINE, 'dialects', 'linkerd');

/**
 * Linkerd's groups and its own kinds, as the seam test does for App Mesh. `HTTPRoute` is the
 * Gateway API dialect's too, and `TrafficSplit` also names the engine's own model type
 * (traffic.ts): neither says anything about Linkerd, so they are left out.
 */
const names = [
  POLICY_GROUP,
  PROFILE_GROUP,
  SMI_SPLIT_GROUP,
  'linkerd',
  'Linkerd',
  'dstOverrides',
  ...new Set([PROFILE_KIND, ...Object.values(POLICY_SERVED_KINDS).flat()].filter((kind) => kind !== 'HTTPRoute')),
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === LINKERD ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('outside dialects/linkerd/, no engine source names a Linkerd kind or API group (the list of dialects aside)', () => {
  const pattern = new RegExp(`(?<![A-Za-z0-9])(${names.map((n) => n.replace(/[.]/g, '\\.')).join('|')})(?![A-Za-z0-9])`);
  const index = path.join(ENGINE, 'dialects', 'index.ts');
  // The migration from App Mesh names the meshes its targets run on (for people, in its report).
  const migration = path.join(ENGINE, 'dialects', 'appmesh', 'migration');
  const files = sourceFiles(ENGINE).filter((file) => file !== index && !file.startsWith(migration + path.sep));
  assert.ok(files.length > 40, 'the engine sources are found');
  const found = files.flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|\s)\/\/.*$/gm, '$1')
      .split('\n')
      .flatMap((line, at) => (pattern.test(line) ? [`${path.relative(ENGINE, file)}:${at + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(found, []);
  assert.ok(pattern.test("const kind = 'ServiceProfile';") && pattern.test("group === 'split.smi-spec.io'"), 'the pattern finds a planted mention');
});

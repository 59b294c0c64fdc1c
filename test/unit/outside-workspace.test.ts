import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { run } from '../../server/src/cli/main';
import { expectationLine, materialize, REPO } from '../support/cases';

const temporary: string[] = [];
after(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** Records the paths whose content or listing is read through node:fs while `body` runs. */
function recordReads<T>(body: () => T): { result: T; read: string[] } {
  const read: string[] = [];
  // The module object itself (not an ES namespace copy), so that patching it reaches every reader.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fsModule = require('node:fs') as typeof fs;
  const originals = { readFileSync: fsModule.readFileSync, readdirSync: fsModule.readdirSync, openSync: fsModule.openSync };
  const record =
    <F extends (...args: never[]) => unknown>(original: F) =>
    (...args: Parameters<F>): ReturnType<F> => {
      if (typeof args[0] === 'string') read.push(args[0]);
      return original.apply(fsModule, args) as ReturnType<F>;
    };
  fsModule.readFileSync = record(originals.readFileSync) as typeof fs.readFileSync;
  fsModule.readdirSync = record(originals.readdirSync) as typeof fs.readdirSync;
  fsModule.openSync = record(originals.openSync) as typeof fs.openSync;
  try {
    return { result: body(), read };
  } finally {
    Object.assign(fsModule, originals);
  }
}

/**
 * The DJ canary tree next to a folder outside the workspace holding a router and a secret; the
 * kustomization reaches out in every way a repository can: ../, an absolute path, a symbolic link to
 * a file, to a directory, to a directory holding a kustomization, and a symbolic link loop.
 */
function reachingOut(): { root: string; outside: string; kustomization: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-outside-'));
  temporary.push(base);
  const { root: materialized } = materialize('stage-canary-2-v2-5');
  const root = path.join(base, 'workspace');
  fs.renameSync(materialized, root);
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(outside, 'base'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: do-not-read\n');
  fs.copyFileSync(path.join(root, 'dj-mesh-router-v2.yaml'), path.join(outside, 'router.yaml'));
  fs.writeFileSync(path.join(outside, 'base', 'kustomization.yaml'), 'resources:\n- ../secret.yaml\n');
  fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'linked-secret.yaml'));
  fs.symlinkSync(outside, path.join(root, 'linked-dir'));
  fs.symlinkSync(path.join(outside, 'base'), path.join(root, 'linked-base'));
  fs.symlinkSync(path.join(root, 'loop-b.yaml'), path.join(root, 'loop-a.yaml'));
  fs.symlinkSync(path.join(root, 'loop-a.yaml'), path.join(root, 'loop-b.yaml'));
  const kustomization = path.join(root, 'kustomization.yaml');
  const text = fs.readFileSync(kustomization, 'utf8');
  fs.writeFileSync(
    kustomization,
    text.replace(
      'resources:\n',
      [
        'resources:',
        '- ../outside/secret.yaml',
        `- ${path.join(outside, 'router.yaml')}`,
        '- linked-secret.yaml',
        '- linked-dir/secret.yaml',
        '- linked-base',
        '- loop-a.yaml',
        '- ../../../../../../../../../../../../../../etc/hostname',
        '',
      ].join('\n'),
    ),
  );
  return { root, outside, kustomization };
}

describe('entries outside the workspace', () => {
  test('../, absolute paths and symbolic links out are reported, a link loop too, and nothing outside is ever read', () => {
    const { root, outside, kustomization } = reachingOut();
    const logs: string[] = [];
    const { result: diagnostics, read } = recordReads(() =>
      new Validator(new Workspace(new DiskFileSource(), [root]), { log: (m) => logs.push(m) }).diagnostics(),
    );
    assert.deepEqual(logs, []);
    const lines = [...diagnostics]
      .flatMap(([file, list]) => list.map((d) => `${expectationLine(root, file, d.range.start.line, d.code)} ${d.message.split(':')[0]}`))
      .sort();
    assert.deepEqual(lines, [
      'kustomization.yaml:10 missing-resource loop-a.yaml is a symbolic link loop',
      'kustomization.yaml:11 entry-outside-workspace ../../../../../../../../../../../../../../etc/hostname climbs out of the workspace',
      'kustomization.yaml:5 entry-outside-workspace ../outside/secret.yaml climbs out of the workspace',
      `kustomization.yaml:6 entry-outside-workspace ${path.join(outside, 'router.yaml')} is an absolute path outside the workspace`,
      'kustomization.yaml:7 entry-outside-workspace linked-secret.yaml leads outside the workspace through a symbolic link',
      'kustomization.yaml:8 entry-outside-workspace linked-dir/secret.yaml leads outside the workspace through a symbolic link',
      'kustomization.yaml:9 entry-outside-workspace linked-base leads outside the workspace through a symbolic link',
    ]);
    const realRoot = fs.realpathSync(root);
    // The product's own JSON Schemas and their compiled validators are read from its installation, not from the workspace.
    const product = [path.join(REPO, 'schemas') + path.sep, path.join(REPO, 'dist', 'schemas') + path.sep];
    const escaped = read.filter((p) => {
      if (product.some((dir) => p.startsWith(dir))) return false;
      let real = p;
      try {
        real = fs.realpathSync(p);
      } catch {
        // A path that does not resolve was not read either.
      }
      return !(real === realRoot || real.startsWith(realRoot + path.sep));
    });
    assert.deepEqual(escaped, [], 'no file or directory outside the workspace was read or listed');
    assert.ok(read.includes(kustomization), 'the recording saw the reads');
  });

  test('the CLI reads only the paths on its command line: an overlay checked alone reports its base, checked with it reports nothing', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    temporary.push(root);
    const base = path.join(root, 'base');
    const overlay = path.join(root, 'overlays', 'canary');
    fs.mkdirSync(base);
    fs.mkdirSync(overlay, { recursive: true });
    for (const name of fs.readdirSync(root)) if (name.endsWith('.yaml')) fs.renameSync(path.join(root, name), path.join(base, name));
    fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), 'resources:\n- ../../base\n');
    const check = (...paths: string[]): { status: number | Promise<number>; out: string[] } => {
      const out: string[] = [];
      const status = run(
        ['check', ...paths],
        (t) => out.push(t),
        (t) => out.push(t),
      );
      return { status, out };
    };
    const alone = recordReads(() => check(overlay));
    assert.equal(alone.result.status, 0, alone.result.out.join('\n'));
    assert.match(alone.result.out.join('\n'), /kustomization\.yaml:2:3 warning entry-outside-workspace \.\.\/\.\.\/base climbs out of the workspace/);
    assert.deepEqual(
      alone.read.filter((p) => p.startsWith(base)),
      [],
      'the base was not read',
    );
    const together = check(root);
    assert.equal(together.status, 0);
    assert.deepEqual(together.out, ['1 kustomization and 11 files checked: 0 errors, 0 warnings, 0 notes']);
    // A kustomization file given alone: its own folder is readable.
    const file = check(path.join(base, 'kustomization.yaml'));
    assert.deepEqual(file.out, ['1 kustomization and 10 files checked: 0 errors, 0 warnings, 0 notes']);
  });

  test('a kind written as a path never makes the engine read a schema from outside its schemas folder', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    temporary.push(root);
    // Lower case throughout: the kind is lower-cased on its way to a file name.
    const planted = path.join(os.tmpdir(), `mk-schema-${process.pid}-${Date.now()}`);
    fs.mkdirSync(planted);
    temporary.push(planted);
    fs.writeFileSync(path.join(planted, 'evil.schema.json'), JSON.stringify({ required: ['gotcha'] }));
    const schemas = path.join(REPO, 'schemas', 'appmesh', 'v1beta2');
    const frontend = path.join(root, 'dj-app-mesh-frontend.yaml');
    const text = fs.readFileSync(frontend, 'utf8');
    fs.writeFileSync(
      frontend,
      `${text.trimEnd()}\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: ${path.relative(schemas, path.join(planted, 'evil'))}\nmetadata:\n  name: x\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: /VirtualService\nmetadata:\n  name: y\n`,
    );
    const logs: string[] = [];
    const { result, read } = recordReads(() => new Validator(new Workspace(new DiskFileSource(), [root]), { log: (m) => logs.push(m) }).diagnostics());
    assert.deepEqual(logs, []);
    assert.deepEqual(
      [...result.values()].flat().filter((d) => /gotcha/.test(d.message)),
      [],
    );
    assert.deepEqual(
      read.filter((p) => p.startsWith(planted)),
      [],
      'the planted schema was not read',
    );
  });

  test('a workspace whose own folder is reached through a symbolic link is inside itself', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    temporary.push(root);
    const link = `${root}-link`;
    fs.symlinkSync(root, link);
    temporary.push(link);
    const diagnostics = new Validator(new Workspace(new DiskFileSource(), [link])).diagnostics();
    assert.deepEqual(
      [...diagnostics.values()].flat().map((d) => d.code),
      [],
    );
  });
});

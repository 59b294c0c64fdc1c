import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Diagnostic, DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { planMove, reachableTargets, stageModel } from '../../server/src/engine/stages';
import { DEFAULT_MAX_FILE_BYTES, WorkspaceOptions } from '../../server/src/engine/workspace';
import { MAX_NESTING_DEPTH } from '../../server/src/engine/yaml';
import { materialize } from '../support/cases';
import { linesOf, rangeInside } from '../support/fuzz';
import { caseFiles, MemoryFileSource } from '../support/memoryFiles';

const ROOT = path.resolve('/mesh-hostile');

/** The DJ tree at the canary 5 % stage, in memory, with some files replaced or added. */
function djTree(files: Record<string, string> = {}, options: WorkspaceOptions = {}) {
  const source = new MemoryFileSource([...caseFiles('stage-canary-2-v2-5')].map(([rel, text]) => [path.join(ROOT, rel), text]));
  for (const [rel, text] of Object.entries(files)) source.set(path.join(ROOT, rel), text);
  const logs: string[] = [];
  const workspace = new Workspace(source, [ROOT], options);
  const validator = new Validator(workspace, { log: (m) => logs.push(m) });
  return { source, workspace, validator, logs };
}

/** Validates, checks nothing crashed and every range lies inside its document; returns the diagnostics of one file. */
function diagnose(tree: ReturnType<typeof djTree>, rel: string): Diagnostic[] {
  const all = tree.validator.diagnostics();
  assert.deepEqual(tree.logs, [], 'nothing crashed');
  for (const [file, list] of all) {
    const lines = linesOf(tree.source.files.get(file) ?? '');
    for (const d of list) assert.equal(rangeInside(lines, d.range), undefined, `${d.code} in ${path.basename(file)}`);
  }
  return all.get(path.join(ROOT, rel)) ?? [];
}

const listed = (name: string): string => {
  const kustomization = caseFiles('stage-canary-2-v2-5').get('kustomization.yaml')!;
  return `${kustomization.trimEnd()}\n- ${name}\n`;
};

const summary = (diagnostics: Diagnostic[]): string[] =>
  diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);

describe('hostile YAML: each gets a clear diagnostic or a bounded refusal', () => {
  test('a billion-laughs alias bomb is refused, with a diagnostic that says why', () => {
    const levels = ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) {
      const name = String.fromCharCode(97 + i);
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lols\ndata:\n  ${levels.join('\n  ')}\n`;
    const tree = djTree({ 'kustomization.yaml': listed('bomb.yaml'), 'bomb.yaml': bomb });
    assert.deepEqual(summary(diagnose(tree, 'bomb.yaml')), [
      '1:1 yaml-syntax This document is not read: it expands more than 1000 aliases, like a "billion laughs" alias bomb.',
    ]);
    assert.deepEqual(diagnose(tree, 'kustomization.yaml'), [], 'the rest of the tree still validates');
  });

  test('deep nesting, in flow, block, compact and alias form, is refused before the parser recurses', () => {
    const depth = 50_000;
    let block = '';
    for (let i = 0; i < 400; i++) block += `${' '.repeat(i)}k${i}:\n`;
    const aliases = ['a0: &a0 [x]'];
    // Each level 30 deep, within the limit as written: four of them nest 120 deep once aliases are expanded.
    for (let i = 1; i <= 4; i++) aliases.push(`a${i}: &a${i} ${'['.repeat(30)} *a${i - 1} ${']'.repeat(30)}`);
    const inputs: Record<string, string> = {
      'flow.yaml': `a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      'unclosed.yaml': `a: ${'{a: '.repeat(depth)}\n`,
      'block.yaml': block,
      'compact.yaml': `${'- '.repeat(depth)}x\n`,
      'aliases.yaml': `${aliases.join('\n')}\n`,
    };
    const tree = djTree({
      'kustomization.yaml': listed('flow.yaml').replace(/\n$/, '\n- unclosed.yaml\n- block.yaml\n- compact.yaml\n- aliases.yaml\n'),
      ...inputs,
    });
    for (const name of Object.keys(inputs)) {
      const found = diagnose(tree, name);
      assert.equal(found.length, 1, `${name}: ${JSON.stringify(summary(found))}`);
      assert.equal(found[0].code, 'yaml-syntax');
      assert.match(found[0].message, new RegExp(`nest(ed)? deeper than ${MAX_NESTING_DEPTH} levels`), name);
    }
    // Nesting just within the limit is read as usual.
    const fine = djTree({
      'kustomization.yaml': listed('fine.yaml'),
      'fine.yaml': `a: ${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}\n`,
    });
    assert.deepEqual(diagnose(fine, 'fine.yaml'), []);
  });

  test('a 20 MB file is not read: a diagnostic gives its size and the limit, which is an option', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    try {
      const huge = path.join(root, 'huge.yaml');
      const line = '  - name: metal-v1 # padding, padding, padding, padding, padding, padding\n';
      fs.writeFileSync(huge, `apiVersion: v1\nkind: List\nitems:\n${line.repeat(Math.ceil((20 * 1024 * 1024) / line.length))}`);
      fs.appendFileSync(path.join(root, 'kustomization.yaml'), '- huge.yaml\n');
      const reads: string[] = [];
      const disk = new DiskFileSource();
      const source = Object.assign(Object.create(disk) as DiskFileSource, {
        readFile: (p: string) => {
          reads.push(p);
          return disk.readFile(p);
        },
      });
      const validator = new Validator(new Workspace(source, [root]));
      const found = validator.diagnostics().get(huge) ?? [];
      assert.deepEqual(summary(found), [
        '1:1 file-too-large This file is 20 MB, over the 1 MB limit (meshKustomize.maxFileSize): it is not validated, and the objects it defines are unknown to the other checks.',
      ]);
      assert.ok(!reads.includes(huge), 'the file was refused on its size, before reading it');
      assert.equal(DEFAULT_MAX_FILE_BYTES, 1024 * 1024);

      // The limit is a Workspace option, and can change on a live workspace.
      const workspace = new Workspace(new DiskFileSource(), [root], { maxFileBytes: 64 * 1024 * 1024 });
      assert.equal(workspace.maxFileBytes, 64 * 1024 * 1024);
      workspace.setMaxFileBytes(512 * 1024);
      assert.match(new Validator(workspace).diagnostics().get(huge)?.[0]?.message ?? '', /over the 0\.5 MB limit/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('sources that cannot tell a size first (open documents) are measured once read', () => {
    const tree = djTree({ 'kustomization.yaml': listed('big.yaml'), 'big.yaml': `data: ${'x'.repeat(5000)}\n` }, { maxFileBytes: 4096 });
    (tree.source as { sizeOf?: unknown }).sizeOf = undefined;
    assert.deepEqual(
      diagnose(tree, 'big.yaml').map((d) => d.code),
      ['file-too-large'],
    );
  });

  test('a 100,000-line file is validated, with its diagnostics where they belong', () => {
    const items = Array.from({ length: 100_000 - 5 }, (_, i) => `- ${i}`);
    items[99_000] = '- [unclosed';
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\nlist:\n${items.join('\n')}`;
    assert.equal(text.split('\n').length, 100_000);
    const tree = djTree({ 'kustomization.yaml': listed('long.yaml'), 'long.yaml': text });
    const found = diagnose(tree, 'long.yaml');
    assert.ok(found.length > 0 && found.every((d) => d.code === 'yaml-syntax'), JSON.stringify(summary(found)));
    // The unclosed bracket on line 99,006 (zero-based 99,005): the parser notices it there or on the next line.
    assert.ok([99_005, 99_006].includes(found[0].range.start.line), JSON.stringify(found[0].range));
  });

  test('duplicate keys and tabs are syntax errors, as kustomize says', () => {
    const router = caseFiles('stage-canary-2-v2-5').get('dj-mesh-router-v1-95-v2-5.yaml')!;
    const tree = djTree({
      'dj-mesh-router-v1-95-v2-5.yaml': router.replace('kind: VirtualRouter', 'kind: VirtualRouter\nkind: VirtualRouter'),
      'dj-app-mesh-frontend.yaml': caseFiles('stage-canary-2-v2-5')
        .get('dj-app-mesh-frontend.yaml')!
        .replace(/\n {2}name:/, '\n\tname:'),
    });
    assert.deepEqual(
      diagnose(tree, 'dj-mesh-router-v1-95-v2-5.yaml').map((d) => [d.code, d.message]),
      [['yaml-syntax', 'Map keys must be unique']],
    );
    assert.ok(diagnose(tree, 'dj-app-mesh-frontend.yaml').some((d) => d.code === 'yaml-syntax' && /A tab indents this line/.test(d.message)));
  });

  test('a byte order mark, CRLF and lone CR line ends read as usual, with positions as editors count them', () => {
    const { root } = materialize('router-to-disabled-v2');
    try {
      const kustomization = path.join(root, 'kustomization.yaml');
      const text = fs.readFileSync(kustomization, 'utf8');
      /** The ranges of the kustomization's diagnostics, from a fresh read of the tree on disk. */
      const ranges = () =>
        new Validator(new Workspace(new DiskFileSource(), [root]))
          .diagnostics()
          .get(kustomization)!
          .map((d) => d.range);
      const expected = ranges();
      fs.writeFileSync(kustomization, `\uFEFF${text}`);
      assert.deepEqual(ranges(), expected, 'the byte order mark shifts nothing');
      fs.writeFileSync(kustomization, text.replace(/\n/g, '\r\n'));
      assert.deepEqual(ranges(), expected);
      fs.writeFileSync(kustomization, text.replace(/\n/g, '\r'));
      assert.deepEqual(ranges(), expected);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('invalid UTF-8 and control characters are syntax errors that say so', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    try {
      const frontend = path.join(root, 'dj-app-mesh-frontend.yaml');
      const bytes = fs.readFileSync(frontend);
      const at = bytes.indexOf('name: dj');
      fs.writeFileSync(frontend, Buffer.concat([bytes.subarray(0, at + 6), Buffer.from([0xc3, 0x28]), bytes.subarray(at + 6)]));
      const router = path.join(root, 'dj-mesh-router-v1.yaml');
      fs.writeFileSync(router, fs.readFileSync(router, 'utf8').replace('name: metal-router', 'name: metal\u0007router'));
      const all = new Validator(new Workspace(new DiskFileSource(), [root])).diagnostics();
      const line = fs
        .readFileSync(frontend, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('\uFFFD'));
      assert.deepEqual(
        (all.get(frontend) ?? []).map((d) => [d.code, d.range.start.line, d.message]),
        [['yaml-syntax', line, 'Invalid UTF-8: a byte sequence here is not UTF-8 (read as U+FFFD); kustomize refuses the file. Save it as UTF-8.']],
      );
      assert.deepEqual(
        (all.get(router) ?? []).map((d) => [d.code, d.message]),
        [['yaml-syntax', 'Control character U+0007 is not allowed in YAML; kustomize refuses the file.']],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('empty files and files of only comments: nothing to report, except an empty kustomization', () => {
    const tree = djTree({
      'kustomization.yaml': listed('empty.yaml').replace(/\n$/, '\n- comments.yaml\n'),
      'empty.yaml': '',
      'comments.yaml': '# nothing here yet\n#\n   # indented\n',
      'sub/kustomization.yaml': '',
      'other/kustomization.yaml': '# resources:\n# - a.yaml\n',
    });
    assert.deepEqual(diagnose(tree, 'empty.yaml'), []);
    assert.deepEqual(diagnose(tree, 'comments.yaml'), []);
    assert.deepEqual(diagnose(tree, 'kustomization.yaml'), []);
    assert.deepEqual(
      diagnose(tree, 'sub/kustomization.yaml').map((d) => d.code),
      ['empty-kustomization'],
    );
    assert.deepEqual(
      diagnose(tree, 'other/kustomization.yaml').map((d) => d.code),
      ['empty-kustomization'],
    );
  });
});

describe('scale: bounded time, no stack overflow', { timeout: 120_000 }, () => {
  test('1,000 routers in one file', () => {
    const router = caseFiles('stage-canary-2-v2-5').get('dj-mesh-router-v1-95-v2-5.yaml')!;
    const docs = Array.from({ length: 500 }, (_, i) => router.replace(/name: (metal|jazz)-router/g, `name: $1-router-${i}`));
    assert.equal(docs.join('\n---\n').match(/kind: VirtualRouter/g)?.length, 1000);
    const tree = djTree({
      'dj-mesh-router-v1-95-v2-5.yaml': docs.join('\n---\n'),
      'kustomization.yaml': caseFiles('stage-canary-2-v2-5').get('kustomization.yaml')!.replace('- dj-app-mesh-metal-v2.yaml\n', ''),
    });
    const found = diagnose(tree, 'dj-mesh-router-v1-95-v2-5.yaml');
    // Each of the 500 metal routers sends 5 % to metal-v2, which is no longer listed.
    assert.equal(found.filter((d) => d.code === 'router-target-not-running').length, 500);
    const kustomization = tree.workspace.file(path.join(ROOT, 'kustomization.yaml'))!.kustomization!;
    const model = stageModel(tree.workspace, kustomization);
    assert.ok(model);
    for (const target of reachableTargets(model)) planMove(model, target);
    for (const d of found.slice(0, 20)) tree.validator.fixes(d);
    tree.validator.fixAll(path.join(ROOT, 'dj-mesh-router-v1-95-v2-5.yaml'), found);
    assert.deepEqual(tree.logs, []);
  });

  test('10,000 entries in one kustomization: distinct files, duplicates, and missing files', () => {
    const files: Record<string, string> = {};
    const entries: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const name = `nodes/node-${i}.yaml`;
      if (i % 10 !== 9) files[name] = `apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata:\n  name: node-${i}\n`;
      entries.push(i % 7 === 0 ? `#- ${name}` : i % 13 === 0 ? '- dj-app-mesh-metal-v1.yaml' : `- ${name}`);
    }
    const base = caseFiles('stage-canary-2-v2-5').get('kustomization.yaml')!;
    const tree = djTree({ ...files, 'kustomization.yaml': `${base.trimEnd()}\n${entries.join('\n')}\n` });
    const found = diagnose(tree, 'kustomization.yaml');
    const codes = new Map<string, number>();
    for (const d of found) codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
    assert.ok((codes.get('missing-resource') ?? 0) > 700, JSON.stringify([...codes]));
    assert.ok((codes.get('duplicate-object') ?? 0) > 500, JSON.stringify([...codes]));
    // Quick fixes, "fix all" and stage moves stay bounded on the same list.
    const kustomizationPath = path.join(ROOT, 'kustomization.yaml');
    for (const d of found.slice(0, 50)) tree.validator.fixes(d);
    tree.validator.fixAll(kustomizationPath, found);
    const model = stageModel(tree.workspace, tree.workspace.file(kustomizationPath)!.kustomization!);
    assert.ok(model);
    for (const target of reachableTargets(model)) planMove(model, target);
    assert.deepEqual(tree.logs, []);
  });

  test('kustomizations including each other 1,000 directories deep', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`chain/d${i}/kustomization.yaml`] = `resources:\n- ../d${i + 1}\n`;
    files['chain/d1000/kustomization.yaml'] = 'resources:\n- node.yaml\n';
    files['chain/d1000/node.yaml'] = 'apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata:\n  name: deep\n';
    const tree = djTree(files);
    diagnose(tree, 'chain/d0/kustomization.yaml');
    assert.deepEqual(tree.logs, []);
  });
});

describe('entries that are not regular files, and kustomizations that include each other, on disk', { timeout: 60_000 }, () => {
  /** The DJ canary stage on disk, with lines added to its kustomization's resources. */
  function onDisk(extraEntries: string[]): { root: string; kustomization: string; validator: Validator; logs: string[] } {
    const { root } = materialize('stage-canary-2-v2-5');
    const kustomization = path.join(root, 'kustomization.yaml');
    fs.writeFileSync(kustomization, `${fs.readFileSync(kustomization, 'utf8').trimEnd()}\n${extraEntries.map((e) => `- ${e}\n`).join('')}`);
    const logs: string[] = [];
    const validator = new Validator(new Workspace(new DiskFileSource(), [root]), { log: (m) => logs.push(m) });
    return { root, kustomization, validator, logs };
  }

  const lineOf = (file: string, text: string): number =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l === `- ${text}`);

  test('a FIFO is "not a regular file" and is never read; /dev/null and a link to /dev/zero are outside the workspace', (t) => {
    const mkfifo = spawnSync('mkfifo', ['--help']);
    if (mkfifo.error) return t.skip('mkfifo is not available');
    const tree = onDisk(['pipe.yaml', '/dev/null', 'zero.yaml']);
    try {
      execFileSync('mkfifo', [path.join(tree.root, 'pipe.yaml')]);
      // A FIFO not listed anywhere, named like a manifest: the walk must not read it either.
      execFileSync('mkfifo', [path.join(tree.root, 'unlisted.yaml')]);
      fs.symlinkSync('/dev/zero', path.join(tree.root, 'zero.yaml'));
      // Reading either FIFO would block this test until its timeout; reading /dev/zero would never end.
      const diagnostics = tree.validator.diagnostics();
      assert.deepEqual(tree.logs, []);
      const found = (diagnostics.get(tree.kustomization) ?? []).map((d) => `${d.range.start.line} ${d.code} ${d.message.split(':')[0]}`);
      assert.deepEqual(found, [
        `${lineOf(tree.kustomization, 'pipe.yaml')} missing-resource pipe.yaml is not a regular file (a FIFO, socket or device)`,
        `${lineOf(tree.kustomization, '/dev/null')} entry-outside-workspace /dev/null is an absolute path outside the workspace`,
        `${lineOf(tree.kustomization, 'zero.yaml')} entry-outside-workspace zero.yaml leads outside the workspace through a symbolic link`,
      ]);
      assert.deepEqual([...diagnostics.keys()], [tree.kustomization], 'no other file has a diagnostic');
    } finally {
      fs.rmSync(tree.root, { recursive: true, force: true });
    }
  });

  test('a cycle through a symbolic link is one, as kustomize resolves links; undoing it clears the error', () => {
    const tree = onDisk(['overlay']);
    try {
      fs.mkdirSync(path.join(tree.root, 'overlay'));
      fs.symlinkSync('.', path.join(tree.root, 'here'));
      const overlay = path.join(tree.root, 'overlay', 'kustomization.yaml');
      fs.writeFileSync(overlay, 'resources:\n- ../here\n');
      const workspace = tree.validator.workspace;
      const cycles = (): string[] =>
        [...tree.validator.diagnostics()].flatMap(([file, list]) =>
          list.filter((d) => d.code === 'kustomization-cycle').map((d) => `${path.relative(tree.root, file)}:${d.range.start.line + 1}`),
        );
      assert.deepEqual(cycles(), ['overlay/kustomization.yaml:2']);
      fs.writeFileSync(overlay, 'resources:\n#- ../here\n');
      workspace.invalidate(overlay);
      assert.deepEqual(cycles(), []);
      assert.deepEqual(tree.logs, []);
    } finally {
      fs.rmSync(tree.root, { recursive: true, force: true });
    }
  });
});

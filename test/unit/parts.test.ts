import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Validator, Workspace } from '../../server/src/engine';
import { generatedRepository } from '../support/generated';
import { MemoryFileSource } from '../support/memoryFiles';

/**
 * A build of many applications is checked in parts, one namespace each: what an application's files
 * get must not depend on the other applications built with it, as long as namespaces keep them apart.
 */
describe('builds checked by namespace', () => {
  test('every application gets the same findings in the whole tree as when its directory is checked alone', async () => {
    const { root, files, apps } = await generatedRepository({ n: 30, seed: 11, brokenEvery: 7 });
    // A blue application with its v2 files enabled: v2 runs without traffic, which is worth a note,
    // even though other applications' routers send traffic to VirtualNodes of the same names.
    const blue = apps.find((a) => a.stage === 'blue')!;
    const kustomization = path.join(blue.dir, 'kustomization.yaml');
    const source = new MemoryFileSource(files);
    source.set(kustomization, files.get(kustomization)!.replace(/^#(- (?!router)\w+-v2\.yaml)$/gm, '$1'));

    const whole = new Validator(new Workspace(source, [root])).findings();
    let compared = 0;
    for (const app of apps) {
      const alone = new Validator(new Workspace(source, [app.dir])).findings();
      const inDirectory = (findings: Map<string, { code: string; range: { start: { line: number } }; message: string }[]>): string[] =>
        [...findings]
          .filter(([file]) => file.startsWith(app.dir + path.sep))
          .flatMap(([file, list]) => list.map((f) => `${path.relative(root, file)}:${f.range.start.line} ${f.code} ${f.message}`))
          .sort();
      assert.deepEqual(inDirectory(whole), inDirectory(alone), app.app);
      compared += inDirectory(alone).length;
    }
    const notes = [...whole].filter(([file]) => file.startsWith(blue.dir)).flatMap(([, list]) => list.filter((f) => f.code === 'version-without-traffic'));
    assert.equal(notes.length, blue.services.length, 'one note per v2 VirtualNode of the blue application');
    // The broken applications and the blue one give the comparison something to compare.
    assert.ok(compared > 10, `findings compared: ${compared}`);
  });
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DiskFileSource, FileSource, PathKind, Validator, Workspace } from '../../server/src/engine';
import { RealPath } from '../../server/src/engine/files';
import { WorkspaceOptions } from '../../server/src/engine/workspace';
import { caseNames, expectationLine, HOSTILE, materialize } from '../support/cases';

/** The disk, with every path the engine asks about recorded. */
export class RecordingSource implements FileSource {
  readonly touched: string[] = [];
  private readonly disk = new DiskFileSource();

  readFile(filePath: string): string | undefined {
    this.touched.push(filePath);
    return this.disk.readFile(filePath);
  }
  kindOf(filePath: string): PathKind | undefined {
    this.touched.push(filePath);
    return this.disk.kindOf(filePath);
  }
  listDirectory(dirPath: string): { name: string; kind: PathKind }[] {
    this.touched.push(dirPath);
    return this.disk.listDirectory(dirPath);
  }
  sizeOf(filePath: string): number | undefined {
    this.touched.push(filePath);
    return this.disk.sizeOf(filePath);
  }
  realPath(filePath: string): RealPath {
    this.touched.push(filePath);
    return this.disk.realPath(filePath);
  }
}

/** Every hostile case: its diagnostics equal its expect.txt, and nothing outside its folder is looked at. */
describe('hostile fixture cases', () => {
  for (const name of caseNames(HOSTILE)) {
    test(name, () => {
      const fixture = materialize(name, HOSTILE);
      try {
        const optionsPath = path.join(HOSTILE, name, 'options.json');
        const options = (fs.existsSync(optionsPath) ? JSON.parse(fs.readFileSync(optionsPath, 'utf8')) : {}) as WorkspaceOptions;
        const source = new RecordingSource();
        const validator = new Validator(new Workspace(source, [fixture.root], options), {
          log: (message) => assert.fail(`a rule crashed: ${message}`),
        });
        const actual = [...validator.diagnostics()]
          .flatMap(([file, diagnostics]) => diagnostics.map((d) => expectationLine(fixture.root, file, d.range.start.line, d.code)))
          .sort();
        assert.deepEqual(actual, fixture.expected);
        const outside = source.touched.filter((p) => p !== fixture.root && !p.startsWith(fixture.root + path.sep));
        assert.deepEqual([...new Set(outside)], [], 'no path outside the case folder is read, listed or even looked at');
      } finally {
        fs.rmSync(fixture.root, { recursive: true, force: true });
      }
    });
  }
});

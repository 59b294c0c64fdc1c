import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './cases';
import { readTree } from './memoryFiles';

export interface GeneratedApp {
  app: string;
  dir: string;
  services: string[];
  stage: string;
}

export interface GeneratedRepository {
  root: string;
  files: Map<string, string>;
  apps: GeneratedApp[];
}

/**
 * A repository written by the benchmark's seeded generator (scripts/bench/generate.mjs: a cluster
 * root, teams of 25 applications, one stage directory each), held in memory under `root`.
 */
export async function generatedRepository(
  options: { n: number; seed: number; brokenEvery: number },
  root = path.resolve('/mesh-generated'),
): Promise<GeneratedRepository> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-generated-'));
  try {
    const generator = (await import(pathToFileURL(path.join(REPO, 'scripts', 'bench', 'generate.mjs')).href)) as {
      generate(options: { n: number; out: string; seed: number; brokenEvery: number }): { apps: GeneratedApp[] };
    };
    const manifest = generator.generate({ ...options, out });
    const files = new Map([...readTree(out)].filter(([rel]) => rel !== 'bench-manifest.json').map(([rel, text]) => [path.join(root, rel), text]));
    const apps = manifest.apps.map((a) => ({ ...a, dir: path.join(root, path.relative(out, a.dir)) }));
    return { root, files, apps };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

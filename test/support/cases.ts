import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const CASES = path.join(REPO, 'test', 'fixtures', 'cases');
/** Cases of hostile input (issue 6), in the same format; `options.json` may hold Workspace options. */
export const HOSTILE = path.join(REPO, 'test', 'fixtures', 'hostile');

export interface FixtureCase {
  name: string;
  /** The case materialized in a fresh temporary folder: base files first, then the case's own. */
  root: string;
  /** Expected `relative/path:LINE code` lines, sorted. */
  expected: string[];
  /** Whether `kubectl kustomize` is expected to fail on the case's kustomizations. */
  kustomizeFails: boolean;
  /** The values of rule options the case is checked with (`rule-options.json`: `{"istio.version": "1.14"}`); empty: the defaults. */
  ruleOptions: Record<string, unknown>;
}

export function caseNames(dir = CASES): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

const CASE_META = new Set(['.base', 'expect.txt', 'kustomize-fails', 'options.json', 'rule-options.json']);

/** Copies a case into a temporary folder, so tests may edit its files freely. */
export function materialize(name: string, dir = CASES): FixtureCase {
  const source = path.join(dir, name);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `mk-${name}-`));
  const basePath = path.join(source, '.base');
  if (fs.existsSync(basePath)) {
    const base = path.join(REPO, fs.readFileSync(basePath, 'utf8').trim());
    // A base may be another case: its own expectations and markers stay behind.
    fs.cpSync(base, root, { recursive: true, filter: (from) => path.dirname(from) !== base || !CASE_META.has(path.basename(from)) });
  }
  for (const entry of fs.readdirSync(source)) {
    if (!CASE_META.has(entry)) fs.cpSync(path.join(source, entry), path.join(root, entry), { recursive: true });
  }
  const optionsPath = path.join(source, 'rule-options.json');
  const ruleOptions = fs.existsSync(optionsPath) ? (JSON.parse(fs.readFileSync(optionsPath, 'utf8')) as Record<string, unknown>) : {};
  return { name, root, expected: expectedOf(name, dir), kustomizeFails: fs.existsSync(path.join(source, 'kustomize-fails')), ruleOptions };
}

export function expectedOf(name: string, dir = CASES): string[] {
  const expectPath = path.join(dir, name, 'expect.txt');
  if (!fs.existsSync(expectPath)) return [];
  return fs
    .readFileSync(expectPath, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .sort();
}

export function copyTree(from: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-tree-'));
  fs.cpSync(from, root, { recursive: true });
  return root;
}

/** `relative/path:LINE code` for a diagnostic, as expect.txt writes it. */
export function expectationLine(root: string, filePath: string, zeroBasedLine: number, code: string): string {
  return `${path.relative(root, filePath).split(path.sep).join('/')}:${zeroBasedLine + 1} ${code}`;
}

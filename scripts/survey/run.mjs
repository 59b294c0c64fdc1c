#!/usr/bin/env node
// Reruns the survey of issue 11: the CLI on public repositories that are already checked out
// (this script never fetches anything), then counts what it prints per repository by severity and
// code, and sorts each error and warning by the verdict recorded in verdicts.txt.
//
//   node scripts/survey/run.mjs --checkouts DIR [--list FILE] [--verdicts FILE] [--cli FILE]
//                               [--save DIR] [--only owner/name] [--unjudged]
//
// DIR holds one folder per repository, named `owner+name` (slash replaced by a plus), with the
// revision of repositories.txt checked out. --save writes the raw JSON of each run there, to
// compare before and after a fix. --unjudged lists the errors and warnings no verdict matches:
// judge them and add lines to verdicts.txt.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function parseArguments(argv) {
  const options = {
    checkouts: undefined,
    list: path.join(here, 'repositories.txt'),
    verdicts: path.join(here, 'verdicts.txt'),
    cli: path.join(root, 'dist', 'cli.js'),
    save: undefined,
    only: undefined,
    unjudged: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--checkouts') options.checkouts = path.resolve(value());
    else if (arg === '--list') options.list = path.resolve(value());
    else if (arg === '--verdicts') options.verdicts = path.resolve(value());
    else if (arg === '--cli') options.cli = path.resolve(value());
    else if (arg === '--save') options.save = path.resolve(value());
    else if (arg === '--only') options.only = value();
    else if (arg === '--unjudged') options.unjudged = true;
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (!options.checkouts) throw new Error('--checkouts DIR is required (one folder per repository, named owner+name)');
  return options;
}

/** Lines `owner/name commit`; `#` starts a comment. */
function readRepositories(file) {
  const repositories = [];
  for (const [index, raw] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, commit, ...extra] = line.split(/\s+/);
    if (!/^[^/\s]+\/[^/\s]+$/.test(name) || !/^[0-9a-f]{7,40}$/.test(commit ?? '') || extra.length) {
      throw new Error(`${file}:${index + 1}: expected "owner/name commit"`);
    }
    repositories.push({ name, commit });
  }
  return repositories;
}

/** Turns a path pattern into a RegExp: `**` any folders, `*` any name part, the rest literal. */
function globToRegExp(glob) {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Lines `owner/name path-glob line code verdict cause`: the first line that matches a finding
 * gives its verdict (true, false or debatable) and the cause it is grouped under. `line` is a
 * 1-based line number or `*`; a `/2` after it matches only the second and later findings of that
 * code at the same place (one problem reported twice); `path-glob` is relative to the repository's root.
 */
function readVerdicts(file) {
  if (!fs.existsSync(file)) return [];
  const verdicts = [];
  for (const [index, raw] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [repository, glob, lineNumber, code, verdict, cause, ...extra] = line.split(/\s+/);
    const lineMatch = /^(\*|\d+)(\/2)?$/.exec(lineNumber ?? '');
    if (!cause || extra.length || !['true', 'false', 'debatable'].includes(verdict) || !lineMatch) {
      throw new Error(`${file}:${index + 1}: expected "owner/name path-glob line|*[/2] code|* true|false|debatable cause"`);
    }
    verdicts.push({ repository, path: globToRegExp(glob), line: lineMatch[1], repeatsOnly: !!lineMatch[2], code, verdict, cause });
  }
  return verdicts;
}

function findVerdict(verdicts, repository, finding) {
  return verdicts.find(
    (v) =>
      v.repository === repository &&
      (v.code === '*' || v.code === finding.code) &&
      (v.line === '*' || Number(v.line) === finding.line) &&
      (!v.repeatsOnly || finding.occurrence > 1) &&
      v.path.test(finding.path),
  );
}

function runCli(cli, folder) {
  // The CLI prints paths relative to its working folder: run it from the checkout.
  const result = spawnSync(process.execPath, [cli, 'check', '.', '--format', 'json'], {
    cwd: folder,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`the CLI stopped with status ${result.status} in ${folder}:\n${result.stderr}`);
  }
  return { raw: result.stdout, diagnostics: JSON.parse(result.stdout), stderr: result.stderr };
}

function increment(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!fs.existsSync(options.cli)) throw new Error(`${options.cli} does not exist: run \`npm run build\` first`);
  const repositories = readRepositories(options.list).filter((r) => !options.only || r.name === options.only);
  const verdicts = readVerdicts(options.verdicts);
  if (options.save) fs.mkdirSync(options.save, { recursive: true });

  const totalsByCode = new Map();
  // severity -> verdict -> count, for errors and warnings only.
  const judged = { error: new Map(), warning: new Map() };
  const causes = new Map();
  const unjudged = [];
  for (const repository of repositories) {
    const folder = path.join(options.checkouts, repository.name.replace('/', '+'));
    if (!fs.existsSync(folder)) {
      console.log(`${repository.name} ${repository.commit}: not checked out at ${folder}, skipped`);
      continue;
    }
    const { raw, diagnostics, stderr } = runCli(options.cli, folder);
    if (options.save) fs.writeFileSync(path.join(options.save, `${path.basename(folder)}.json`), raw);
    const byCode = new Map();
    const seenAt = new Map();
    for (const d of diagnostics) {
      const key = `${d.severity} ${d.code}`;
      increment(byCode, key);
      increment(totalsByCode, key);
      if (d.severity !== 'error' && d.severity !== 'warning') continue;
      const finding = { path: d.path.split(path.sep).join('/'), line: d.range.start.line + 1, code: d.code };
      const place = `${finding.path}:${finding.line} ${finding.code}`;
      increment(seenAt, place);
      finding.occurrence = seenAt.get(place);
      const verdict = findVerdict(verdicts, repository.name, finding);
      increment(judged[d.severity], verdict ? verdict.verdict : 'unjudged');
      if (verdict) increment(causes, `${d.severity} ${verdict.verdict} ${verdict.cause}`);
      else unjudged.push(`${repository.name} ${finding.path}:${finding.line} ${d.severity} ${d.code} ${d.message}`);
    }
    const counts = [...byCode].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${n}`);
    console.log(`${repository.name} ${repository.commit.slice(0, 12)}: ${counts.length ? counts.join(', ') : 'nothing reported'}`);
    if (stderr.trim()) console.log(`  stderr: ${stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
  }

  console.log('\nTotals by severity and code:');
  for (const [key, n] of [...totalsByCode].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${key}: ${n}`);
  console.log('\nErrors and warnings by verdict (verdicts.txt):');
  for (const severity of ['error', 'warning']) {
    const m = judged[severity];
    const part = (v) => `${v} ${m.get(v) ?? 0}`;
    console.log(`  ${severity}s: ${['true', 'false', 'debatable', 'unjudged'].map(part).join(', ')}`);
  }
  console.log('\nBy cause (severity verdict cause: count):');
  for (const [key, n] of [...causes].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${key}: ${n}`);
  if (options.unjudged && unjudged.length) {
    console.log('\nUnjudged errors and warnings:');
    for (const line of unjudged) console.log(`  ${line}`);
  } else if (unjudged.length) {
    console.log(`\n${unjudged.length} errors and warnings match no verdict: rerun with --unjudged to list them.`);
  }
}

try {
  main();
} catch (error) {
  console.error(`survey: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

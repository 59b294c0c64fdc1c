#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and
// the most total (inclusive) time, with their file:line, resolved through the bundle's source map
// when there is one next to the bundle.
//
// Usage: node scripts/bench/profile-summary.mjs PROFILE.cpuprofile [--top 25]
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const maps = new Map();
function sourceMapOf(url) {
  if (!url) return undefined;
  if (maps.has(url)) return maps.get(url);
  let map;
  try {
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    const mapFile = `${file}.map`;
    if (fs.existsSync(mapFile)) map = new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')));
  } catch {
    map = undefined;
  }
  maps.set(url, map);
  return map;
}

/** "name (file:line)", in the original sources when the bundle has a source map. */
function where(frame) {
  const map = sourceMapOf(frame.url);
  let file = frame.url.replace(/^file:\/\//, '');
  let line = frame.lineNumber + 1;
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && entry.originalSource) {
      file = entry.originalSource;
      line = entry.originalLine + 1;
    }
  }
  file = file.replace(/^.*?(node_modules\/|server\/src\/|client\/src\/)/, '$1');
  return `${frame.functionName || '(anonymous)'} (${file || 'native'}:${line})`;
}

export function summarize(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const intervals = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (intervals[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const selfByFn = new Map();
  const inclByFn = new Map();
  for (const [id, t] of self) {
    const node = byId.get(id);
    const key = where(node.callFrame);
    selfByFn.set(key, (selfByFn.get(key) ?? 0) + t);
    // Inclusive: count each function once per sample stack.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = where(byId.get(cur).callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclByFn.set(k, (inclByFn.get(k) ?? 0) + t);
    }
  }
  const rows = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, t]) => ({ ms: Math.round(t / 1000), pct: Math.round((1000 * t) / total) / 10, fn }));
  return { totalMs: Math.round(total / 1000), self: rows(selfByFn), inclusive: rows(inclByFn) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
  const s = summarize(JSON.parse(fs.readFileSync(file, 'utf8')), top);
  console.log(`total sampled: ${s.totalMs} ms\n\nself time:`);
  for (const r of s.self) console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)} %  ${r.fn}`);
  console.log('\ninclusive time:');
  for (const r of s.inclusive) console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)} %  ${r.fn}`);
}

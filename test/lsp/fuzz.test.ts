import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { expectationLine, materialize } from '../support/cases';
import { fuzzCases, fuzzSeed, linesOf, mutate, rangeInside, Rng } from '../support/fuzz';
import { LspClient } from '../support/lspClient';

/**
 * Seeded fuzzing of the real server over stdio: each case opens one fixture file in the editor and
 * changes it to a mutation of its text. The server must stay up, log no crash, answer within a
 * second, and publish only diagnostics (and offer only edits) inside their documents.
 *
 * Replay one case: MESH_FUZZ_SEED=<seed> MESH_FUZZ_CASE=<index> node --test out/test/lsp/fuzz.test.js
 */
const MUTATIONS = 500;
const PER_CASE_MS = 1000;
/** Fixture cases the server holds at once, one folder each: kustomizations, routers, nesting, CRLF, legacy kinds. */
const CASES = ['router-to-disabled-v2', 'nested-apps-broken', 'comment-shapes', 'crlf-line-endings', 'legacy-v1beta1-valid', 'schema-typos-mesh'];

const clients: LspClient[] = [];
const temporary: string[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('language server fuzzing over stdio', () => {
  test(`${MUTATIONS} mutations through the server: it stays up, logs no crash, and every range lies inside its document`, { timeout: 300_000 }, async (t) => {
    const seed = fuzzSeed();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-server-fuzz-'));
    temporary.push(root);
    const expected: string[] = [];
    for (const name of CASES) {
      const fixture = materialize(name);
      fs.renameSync(fixture.root, path.join(root, name));
      expected.push(...fixture.expected.map((line) => `${name}/${line}`));
    }
    const pristine = new Map(listFiles(root).map((file) => [file, fs.readFileSync(file, 'utf8')]));
    const files = [...pristine.keys()].filter((f) => /\.ya?ml$/.test(f)).sort();
    const client = await LspClient.start(root);
    clients.push(client);
    const versions = new Map<string, number>();
    const texts = new Map<string, string>();
    let mutated: string | undefined;

    const edit = async (file: string, text: string): Promise<void> => {
      const version = (versions.get(file) ?? 0) + 1;
      versions.set(file, version);
      texts.set(file, text);
      if (version === 1) await client.openDocument(file, text, version);
      else await client.changeDocument(file, text, version);
    };
    const textOf = (uri: string): string | undefined => {
      const file = URI.parse(uri).fsPath;
      return texts.get(file) ?? pristine.get(file);
    };

    const failures: string[] = [];
    let checked = 0;
    const indexes = fuzzCases(MUTATIONS);
    for (const index of indexes) {
      const rng = Rng.forCase(seed, index, 2);
      const file = rng.pick(files);
      const { text, applied } = mutate(pristine.get(file)!, rng);
      const label = `case ${index} (${path.relative(root, file)}, ${applied.join(' + ')})`;
      const problems: string[] = [];
      const logsBefore = client.logs.length;
      const started = performance.now();
      if (mutated && mutated !== file) await edit(mutated, pristine.get(mutated)!);
      mutated = file;
      await edit(file, text);
      await client.barrier(file);
      const actions = (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: client.uri(file) },
        range: { start: { line: 0, character: 0 }, end: { line: linesOf(text).length, character: 0 } },
        context: { diagnostics: client.diagnosticsOf(file), only: ['quickfix', 'source.fixAll'] },
      })) as CodeAction[];
      const ms = performance.now() - started;
      if (ms > PER_CASE_MS) problems.push(`took ${Math.round(ms)} ms`);

      for (const [uri, params] of client.published) {
        const documentText = textOf(uri);
        if (documentText === undefined) {
          if (params.diagnostics.length > 0) problems.push(`diagnostics for ${uri}, which is no file of the workspace`);
          continue;
        }
        const lines = linesOf(documentText);
        for (const d of params.diagnostics as Diagnostic[]) {
          checked++;
          const outside = rangeInside(lines, d.range);
          if (outside) problems.push(`${String(d.code)} in ${path.basename(uri)}: ${outside}`);
        }
      }
      for (const action of actions) {
        const changes = (action.edit?.documentChanges ?? []) as {
          textDocument: { uri: string; version: number | null };
          edits: { range: Diagnostic['range'] }[];
        }[];
        for (const change of changes) {
          const changed = textOf(change.textDocument.uri);
          const expectedVersion = versions.get(URI.parse(change.textDocument.uri).fsPath) ?? null;
          if (change.textDocument.version !== expectedVersion)
            problems.push(`"${action.title}" carries version ${change.textDocument.version}, not ${expectedVersion}`);
          for (const e of change.edits) {
            const outside = changed === undefined ? 'no such file' : rangeInside(changed, e.range);
            if (outside) problems.push(`"${action.title}": ${outside}`);
          }
        }
      }
      problems.push(
        ...client.logs
          .slice(logsBefore)
          .filter((log) => /failed|error/i.test(log))
          .map((log) => `logged: ${log.split('\n')[0]}`),
      );
      if (client.process.exitCode !== null || client.process.signalCode !== null)
        problems.push(`the server exited (${client.process.exitCode ?? client.process.signalCode}): ${client.stderr.join('')}`);
      if (problems.length > 0 || indexes.length === 1) {
        const report = `${label}: ${problems.join('; ') || 'no problem'}`;
        if (indexes.length === 1) console.log(`${report}\n--- mutated text ---\n${text}\n---`);
        if (problems.length > 0) failures.push(report);
      }
      if (failures.length >= 10 || client.process.exitCode !== null) break;
    }
    assert.ok(indexes.length === 1 || checked > MUTATIONS, `${checked} diagnostic ranges checked`);
    t.diagnostic(`seed ${seed}: ${indexes.length} mutations, ${checked} published ranges checked`);
    assert.deepEqual(failures, [], `seed ${seed}: replay one with MESH_FUZZ_SEED=${seed} MESH_FUZZ_CASE=<index> node --test out/test/lsp/fuzz.test.js`);

    // Back to the files' own text: what is published is exactly what each case expects.
    if (mutated) await edit(mutated, pristine.get(mutated)!);
    await client.barrier(files[0]);
    const published = [...client.published.values()]
      .flatMap((p) => p.diagnostics.map((d) => expectationLine(root, URI.parse(p.uri).fsPath, d.range.start.line, String(d.code))))
      .sort();
    assert.deepEqual(published, expected.sort());
    assert.deepEqual(client.stderr.join(''), '', 'nothing on stderr');
  });
});

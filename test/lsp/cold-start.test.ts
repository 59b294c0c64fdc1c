import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO } from '../support/cases';
import { FULL_CAPABILITIES, LspClient } from '../support/lspClient';

interface Manifest {
  expected: { file: string; code: string; count: number }[];
}

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

/**
 * In a large repository the whole-workspace validation takes seconds; the files a user has open get
 * their diagnostics first, from their own directory's build, and keep them once the whole workspace
 * is validated.
 */
async function generated(): Promise<{ root: string; manifest: Manifest; opened: Manifest['expected'][number]; others: Manifest['expected'] }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cold-'));
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const generator = (await import(pathToFileURL(path.join(REPO, 'scripts', 'bench', 'generate.mjs')).href)) as {
    generate(options: { n: number; out: string; seed: number; brokenEvery: number }): Manifest;
  };
  // 200 applications, 2,400 files; every 20th application has a canary router to a stopped version.
  const manifest = generator.generate({ n: 200, out: root, seed: 3, brokenEvery: 20 });
  const routers = manifest.expected.filter((e) => e.file.endsWith('router-v1-95-v2-5.yaml'));
  const opened = routers[routers.length - 1];
  return { root, manifest, opened, others: manifest.expected.filter((e) => e !== opened) };
}

describe('cold start of a large repository', () => {
  test('an open file gets its diagnostics before the files nobody opened', async () => {
    const { root, manifest, opened, others } = await generated();

    const client = await LspClient.start(root);
    cleanup.push(() => client.stop());
    await client.openDocument(opened.file, fs.readFileSync(opened.file, 'utf8'));
    const hasExpected = (e: Manifest['expected'][number]): boolean => client.diagnosticsOf(e.file).filter((d) => d.code === e.code).length === e.count;
    await client.waitFor(() => manifest.expected.every(hasExpected), 'every planted error', 60_000);

    const firstWithExpected = (e: Manifest['expected'][number]): number =>
      client.publishLog.findIndex((p) => p.uri === client.uri(e.file) && p.diagnostics.filter((d) => d.code === e.code).length === e.count);
    const openedAt = firstWithExpected(opened);
    const othersAt = Math.min(...others.map(firstWithExpected));
    assert.ok(openedAt >= 0 && openedAt < othersAt, `the open router's diagnostics (notification ${openedAt}) come before any other file's (${othersAt})`);
    // The whole workspace's validation agrees with what was shown first: no second notification for the open file changed them.
    const forOpened = client.publishLog.filter((p) => p.uri === client.uri(opened.file));
    assert.deepEqual(
      forOpened.map((p) => p.diagnostics.map((d) => `${d.range.start.line} ${d.code}`)),
      [forOpened[0].diagnostics.map((d) => `${d.range.start.line} ${d.code}`)],
    );
  });

  test('a client that pulls diagnostics gets those of the open file before the whole workspace is validated', async () => {
    const { root, opened, others } = await generated();
    const capabilities = {
      ...FULL_CAPABILITIES,
      textDocument: { ...FULL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } },
      workspace: { ...FULL_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
    };
    const client = await LspClient.start(root, { capabilities });
    cleanup.push(() => client.stop());
    await client.openDocument(opened.file, fs.readFileSync(opened.file, 'utf8'));
    const pull = async (): Promise<{ code?: unknown }[]> =>
      ((await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: client.uri(opened.file) } })) as { items: { code?: unknown }[] })
        .items;
    const first = await pull();
    const pushedBefore = client.publishLog.filter((p) => others.some((e) => p.uri === client.uri(e.file) && p.diagnostics.length > 0)).length;
    assert.equal(first.filter((d) => d.code === opened.code).length, opened.count, 'the first pull has the errors of the open router');
    assert.equal(pushedBefore, 0, 'it was answered before any unopened file got diagnostics pushed');
    await client.waitFor(() => others.every((e) => client.diagnosticsOf(e.file).some((d) => d.code === e.code)), 'the whole workspace', 60_000);
    assert.deepEqual(
      (await pull()).map((d) => d.code),
      first.map((d) => d.code),
      'the whole validation agrees',
    );
  });
});

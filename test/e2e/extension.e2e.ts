import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

/**
 * Runs inside a real VS Code (code-server's workbench, or Electron through @vscode/test-electron)
 * with the workspace folder set to a copy of examples/dj-broken: the canary router is enabled while
 * the v2 files are commented out.
 */
const folder = (): vscode.Uri => {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'a workspace folder is open');
  return first.uri;
};
const file = (name: string): vscode.Uri => vscode.Uri.joinPath(folder(), name);
const KUSTOMIZATION = 'kustomization.yaml';
const ROUTER = 'dj-mesh-router-v1-95-v2-5.yaml';

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const codes = (uri: vscode.Uri): string[] => vscode.languages.getDiagnostics(uri).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));

async function openKustomization(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(file(KUSTOMIZATION));
  return vscode.window.showTextDocument(document);
}

/** Language server processes started by this extension host (children running dist/server.js). */
function serverProcesses(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const parent = /^PPid:\s+(\d+)/m.exec(status)?.[1];
        return Number(parent) === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/server.js');
      } catch {
        return false;
      }
    })
    .map(Number);
}

suite('Mesh Kustomize in VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'mesh-kustomize');
    assert.ok(extension, 'the extension is installed');
    await openKustomization();
    await extension.activate();
  });

  test('diagnostics appear in kustomization.yaml and in the router file, which is not open', async () => {
    await until('errors in kustomization.yaml', () => (codes(file(KUSTOMIZATION)).includes('router-target-not-running') ? true : undefined));
    const router = await until('errors in the router file', () => {
      const found = codes(file(ROUTER));
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(router, ['router-target-not-running', 'router-target-not-running']);
    const [entry] = vscode.languages.getDiagnostics(file(KUSTOMIZATION));
    assert.equal(entry.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(entry.range.start.line, 10);
    assert.match(entry.message, /metal-v2, jazz-v2/);
  });

  test('the stage lenses are listed', async () => {
    const lenses = await until('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file(KUSTOMIZATION));
      return found && found.length > 1 ? found : undefined;
    });
    const titles = lenses.map((l) => l.command?.title);
    assert.match(String(titles[0]), /^Stage: unknown — /);
    assert.equal(lenses[0].command?.command, 'meshKustomize.showRollout', 'the stage opens the rollout view');
    // Compact in VS Code: the repair of the broken stage, then "More…", which lists every move.
    assert.deepEqual(titles.slice(1), ['Switch to canary 5%', 'More…']);
    assert.equal(lenses[2].command?.command, 'meshKustomize.showStageMoves');
  });

  test('the palette command "Switch to canary 5%" changes the file, and one undo restores it', async () => {
    const editor = await openKustomization();
    const before = editor.document.getText();
    await vscode.commands.executeCommand('meshKustomize.switchToCanary5');
    await until('the move applied', () => (editor.document.getText() !== before ? true : undefined));
    const after = editor.document.getText();
    assert.ok(after.includes('\n- dj-app-mesh-metal-v2.yaml\n') && after.includes('\n- dj-app-mesh-jazz-v2.yaml\n'), after);
    assert.ok(after.includes('\n- dj-mesh-router-v1-95-v2-5.yaml\n'), after);
    await until('errors cleared after the move', () => (codes(file(KUSTOMIZATION)).length === 0 ? true : undefined));
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await until('the undo applied', () => (editor.document.getText() === before ? true : undefined));
    assert.equal(editor.document.getText(), before);
  });

  test('the quick fix is offered, and applying it clears the error', async () => {
    const editor = await openKustomization();
    const diagnostic = await until('the error to fix', () =>
      vscode.languages
        .getDiagnostics(file(KUSTOMIZATION))
        .find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'router-target-not-running'),
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file(KUSTOMIZATION), diagnostic.range);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === 'Enable dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml');
    assert.ok(fix?.edit, JSON.stringify(titles));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await until('errors cleared by the fix', () => (codes(file(KUSTOMIZATION)).length === 0 && codes(file(ROUTER)).length === 0 ? true : undefined));
    await vscode.commands.executeCommand('undo');
    await until('the broken stage back', () => (codes(file(KUSTOMIZATION)).length > 0 ? true : undefined));
    assert.ok(editor.document.getText().includes('#- dj-app-mesh-metal-v2.yaml'));
  });

  test('a changed setting takes effect without a reload: a rule turned off, then set to warning', async () => {
    // The server pulls settings (workspace/configuration) once VS Code says they changed: nothing is pushed.
    const settings = vscode.workspace.getConfiguration('meshKustomize');
    const errorIn = (uri: vscode.Uri): vscode.Diagnostic | undefined =>
      vscode.languages.getDiagnostics(uri).find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'router-target-not-running');
    await until('the error before the change', () => errorIn(file(KUSTOMIZATION)));
    try {
      await settings.update('rules', { 'router-target-not-running': 'off' }, vscode.ConfigurationTarget.Workspace);
      await until('the rule turned off in every file', () => (!errorIn(file(KUSTOMIZATION)) && !errorIn(file(ROUTER)) ? true : undefined));
      await settings.update('rules', { 'router-target-not-running': 'warning' }, vscode.ConfigurationTarget.Workspace);
      const warned = await until('the rule back as a warning', () => errorIn(file(KUSTOMIZATION)));
      assert.equal(warned.severity, vscode.DiagnosticSeverity.Warning);
    } finally {
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const restored = await until('the default severity again', () => {
      const found = errorIn(file(KUSTOMIZATION));
      return found?.severity === vscode.DiagnosticSeverity.Error ? found : undefined;
    });
    assert.equal(restored.range.start.line, 10);
  });

  test('when the server process dies, the client restarts it and the diagnostics return', async () => {
    const [first] = await until('the server process', () => {
      const found = serverProcesses();
      return found.length === 1 ? found : undefined;
    });
    await until('errors before the crash', () => (codes(file(KUSTOMIZATION)).length > 0 ? true : undefined));
    process.kill(first, 'SIGKILL');
    const [second] = await until('a restarted server process', () => {
      const found = serverProcesses().filter((pid) => pid !== first);
      return found.length === 1 ? found : undefined;
    });
    assert.notEqual(second, first);
    await until('errors published by the new server', () =>
      codes(file(KUSTOMIZATION)).includes('router-target-not-running') && codes(file(ROUTER)).length === 2 ? true : undefined,
    );
  });
});

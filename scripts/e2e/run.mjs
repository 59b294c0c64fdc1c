// `npm run test:e2e`: packages the extension, installs it into a fresh code-server, runs the
// test/e2e suite inside its extension host, then drives the workbench as a person would (squiggles,
// Problems panel, a stage lens, a quick fix from the light bulb) and saves screenshots.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, ensureTools, freePort, installExtension, launchBrowser, packageExtension, REPO, scratch, startCodeServer } from './codeServer.mjs';

const SCREENSHOTS = path.join(REPO, 'out', 'e2e', 'screenshots');
const README_IMAGES = path.join(REPO, 'docs', 'images');
const updateReadme = process.argv.includes('--update-screenshots');
const WORKBENCH_NOISE = /workbench\.js|^\[(AgentHost|ChatModelSelection)\]|api\.github\.com|marketplace/i;

function log(message) {
  process.stderr.write(`[e2e] ${message}\n`);
}

/** Phase 1: the mocha suite of test/e2e inside the extension host, through the smoke-test driver. */
async function runSuite(vsix) {
  const dirs = scratch('mk-e2e-suite-');
  const extensionDir = installExtension(dirs, vsix);
  const workspace = copyExample('dj-broken', dirs.root);
  const port = await freePort();
  const server = await startCodeServer(dirs, { port, smokeTestDriver: true });
  const browser = await launchBrowser(path.join(dirs.root, 'browser'));
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? formatLog(args) : String(args);
      // The workbench logs its own offline failures (marketplace, sign-in) through the same channel.
      if (!WORKBENCH_NOISE.test(text)) process.stdout.write(`${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(path.join(REPO, 'out', 'e2e', 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), 300000)))]);
    clearTimeout(timer);
    if (code === 'timeout') throw new Error('the extension test suite did not finish within 5 minutes');
    if (code !== 0) throw new Error(`the extension test suite failed (exit code ${code})`);
    log('extension host suite passed');
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

/** printf-style arguments, as the workbench hands them over. */
function formatLog([format, ...rest]) {
  let index = 0;
  return (
    String(format).replace(/%[sdifoOc]/g, (token) => (token === '%c' ? (index++, '') : String(rest[index++]))) +
    (index < rest.length ? ` ${rest.slice(index).join(' ')}` : '')
  );
}

/**
 * A fresh code-server with the packaged extension, on a copy of an example (`prepare` may change its
 * kustomization first), in headless Chromium: the workbench loaded and settled.
 */
async function openWorkbench(vsix, prefix, example, prepare = () => undefined, userSettings = {}) {
  const dirs = scratch(prefix);
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), ...userSettings }, null, 2));
  installExtension(dirs, vsix);
  const workspace = copyExample(example, dirs.root);
  prepare(path.join(workspace, 'kustomization.yaml'));
  const port = await freePort();
  const server = await startCodeServer(dirs, { port });
  const browser = await launchBrowser(path.join(dirs.root, 'browser'));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.waitForTimeout(2000);
  return { workspace, server, browser, page, settingsFile };
}

async function shot(page, name) {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  log(`screenshot ${path.relative(REPO, file)}`);
}

/** Phase 2: the workbench as a person uses it, with screenshots. */
async function driveUi(vsix) {
  const { workspace, server, browser, page } = await openWorkbench(vsix, 'mk-e2e-ui-', 'dj-broken');
  const kustomization = path.join(workspace, 'kustomization.yaml');
  const original = fs.readFileSync(kustomization, 'utf8');
  try {
    // Open kustomization.yaml with Quick Open, as a person would.
    await openFile(page, 'kustomization.yaml');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await shot(page, 'diagnostics');

    // The light bulb: quick fix on the broken router entry (line 11).
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Enable dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml' });
    await fix.waitFor({ timeout: 30000 });
    await shot(page, 'quick-fix');
    await fix.click();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30000 });
    await page.keyboard.press('Control+S');
    await waitForFile(kustomization, (text) => text.includes('\n- dj-app-mesh-metal-v2.yaml\n'));
    log('quick fix applied from the light bulb');

    // Back to the broken stage, then the lens.
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+S');
    await waitForFile(kustomization, (text) => text === original);
    const lens = page.locator('.codelens-decoration a', { hasText: 'Switch to canary 5%' });
    await lens.waitFor({ timeout: 30000 });
    await shot(page, 'lenses');
    await lens.click();
    await page.locator('.codelens-decoration', { hasText: 'Stage: canary 5 %' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+S');
    await waitForFile(kustomization, (text) => text.includes('\n- dj-app-mesh-jazz-v2.yaml\n') && text.includes('\n- dj-mesh-router-v1-95-v2-5.yaml\n'));
    // Reopened, the lens row starts at its beginning again (clicking scrolled it sideways).
    await page.keyboard.press('Control+W');
    await openFile(page, 'kustomization.yaml');
    await page.locator('.codelens-decoration', { hasText: 'Stage: canary 5 %' }).first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await shot(page, 'after-lens');
    log('stage lens applied');
  } catch (error) {
    // What the page showed when a step failed, to see why.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failure.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

/**
 * Phase 3: the Gateway API tree (examples/dj-gateway-api) broken the same way — the canary
 * HTTPRoutes enabled while v2 is commented out — then a diagnostic, a quick fix from the light
 * bulb and a lens move, as on App Mesh; and the route file with its split lenses and share hints.
 */
async function driveGatewayApi(vsix) {
  // Broken as dj-broken is: the canary routes enabled while the v2 files are commented out.
  const { workspace, server, browser, page } = await openWorkbench(vsix, 'mk-e2e-gateway-', 'dj-gateway-api', (kustomization) =>
    fs.writeFileSync(
      kustomization,
      fs
        .readFileSync(kustomization, 'utf8')
        .replace('\n- dj-metal-v2.yaml\n', '\n#- dj-metal-v2.yaml\n')
        .replace('\n- dj-jazz-v2.yaml\n', '\n#- dj-jazz-v2.yaml\n'),
    ),
  );
  const kustomization = path.join(workspace, 'kustomization.yaml');
  try {
    // The route file: the error at the backendRef that loses 5 %, the split lens and the share hints.
    await openFile(page, 'dj-route-v1-95-v2-5.yaml');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    await page.locator('.codelens-decoration', { hasText: 'metal: metal-v1 95 % · metal-v2 5 %' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'gets HTTP 500' }).first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await shot(page, 'gateway-api');

    // The light bulb on the kustomization's router entry (line 11): enable the v2 files.
    await openFile(page, 'kustomization.yaml');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Enable dj-metal-v2.yaml and dj-jazz-v2.yaml' });
    await fix.waitFor({ timeout: 30000 });
    await fix.click();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30000 });
    await page.keyboard.press('Control+S');
    await waitForFile(kustomization, (text) => text.includes('\n- dj-metal-v2.yaml\n') && text.includes('\n- dj-jazz-v2.yaml\n'));
    log('Gateway API: quick fix applied from the light bulb');

    // A lens move: back to blue, which stops v2 again and enables the 100/0 routes.
    const lens = page.locator('.codelens-decoration a', { hasText: 'Roll back to blue' });
    await lens.waitFor({ timeout: 30000 });
    await lens.click();
    await page.locator('.codelens-decoration', { hasText: 'Stage: blue' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+S');
    await waitForFile(kustomization, (text) => text.includes('\n- dj-route-v1.yaml\n') && text.includes('\n#- dj-metal-v2.yaml\n'));
    log('Gateway API: stage lens applied');
  } catch (error) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failure-gateway-api.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

/**
 * Phase 4: the Istio tree (examples/reviews-istio) at canary 50 % v1 → v3 with reviews-v3.yaml
 * commented out: the subset without workloads in the VirtualService, its quick fix from the light
 * bulb, a move from the palette's list of moves between three versions, and one from a lens.
 */
async function driveIstio(vsix) {
  const { workspace, server, browser, page } = await openWorkbench(vsix, 'mk-e2e-istio-', 'reviews-istio', (kustomization) =>
    fs.writeFileSync(
      kustomization,
      fs
        .readFileSync(kustomization, 'utf8')
        .replace('\n- reviews-v2.yaml\n', '\n#- reviews-v2.yaml\n')
        .replace('\n- virtual-service-reviews-80-20.yaml\n', '\n#- virtual-service-reviews-80-20.yaml\n')
        .replace('\n#- virtual-service-reviews-50-50.yaml\n', '\n- virtual-service-reviews-50-50.yaml\n'),
    ),
  );
  const kustomization = path.join(workspace, 'kustomization.yaml');
  try {
    // The VirtualService: the error at the subset that has no workload, its split lens and hints.
    await openFile(page, 'virtual-service-reviews-50-50.yaml');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    await page.locator('.codelens-decoration', { hasText: 'reviews: reviews/v1 50 % · reviews/v3 50 %' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: '503' }).first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await shot(page, 'istio');

    // The light bulb on the subset (line 17 of the file): enable the file of the v3 workload.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('17');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'reviews-v3.yaml' }).first();
    await fix.waitFor({ timeout: 30000 });
    await fix.click();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30000 });
    await page.keyboard.press('Control+K');
    await page.keyboard.press('S');
    await waitForFile(kustomization, (text) => text.includes('\n- reviews-v3.yaml\n'));
    log('Istio: quick fix applied from the light bulb');

    // The palette lists every move between the three versions; each names the two it shifts between.
    await openFile(page, 'kustomization.yaml');
    await page.locator('.codelens-decoration', { hasText: 'Stage: canary 50 % (v1 → v3)' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Mesh Kustomize: Show rollout stage and moves');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show rollout stage and moves' }).first().click();
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Switch to canary 20% (v1 → v2)' });
    await pick.waitFor({ timeout: 30000 });
    await shot(page, 'istio-moves');
    await pick.click();
    await page.locator('.codelens-decoration', { hasText: 'Stage: canary 20 % (v1 → v2)' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+S');
    await waitForFile(
      kustomization,
      (text) => text.includes('\n- reviews-v2.yaml\n') && text.includes('\n#- reviews-v3.yaml\n') && text.includes('\n- virtual-service-reviews-80-20.yaml\n'),
    );
    log('Istio: move from the palette applied');

    // A lens: back to v1 only.
    const lens = page.locator('.codelens-decoration a', { hasText: 'Switch to blue (v1 only)' });
    await lens.waitFor({ timeout: 30000 });
    await lens.click();
    await page.locator('.codelens-decoration', { hasText: 'Stage: blue (v1)' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+S');
    await waitForFile(kustomization, (text) => text.includes('\n- virtual-service-reviews-all-v1.yaml\n') && text.includes('\n#- reviews-v2.yaml\n'));
    log('Istio: stage lens applied');
  } catch (error) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failure-istio.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

/**
 * Phase 5: the migration of examples/dj from the palette: "Migrate this rollout…", the target, the
 * report of what it would write in a markdown preview beside, the dialog that asks, and the files.
 */
async function driveMigration(vsix) {
  const { workspace, server, browser, page } = await openWorkbench(vsix, 'mk-e2e-migrate-', 'dj');
  const out = path.join(workspace, `${path.basename(workspace)}-gamma`);
  try {
    await openFile(page, 'kustomization.yaml');
    await page.locator('.codelens-decoration', { hasText: 'Stage: canary 5 %' }).first().waitFor({ timeout: 60000 });
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Mesh Kustomize: Migrate this rollout');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Migrate this rollout' }).first().click();
    const target = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Gateway API mesh mode (GAMMA)' });
    await target.waitFor({ timeout: 30000 });
    await shot(page, 'migration-targets');
    await target.click();
    // First the report of what it would write, beside, and a dialog that asks; then the files.
    const create = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Create files' });
    await create.waitFor({ timeout: 30000 });
    await page.waitForTimeout(1500);
    await shot(page, 'migration-preview');
    await create.click();
    await waitForFile(path.join(out, 'kustomization.yaml'), (text) => text.includes('\n- dj-route-v1-95-v2-5.yaml\n'), 10000).catch(async () => {
      // Files created by an edit stay unsaved in the editor until saved: save them all, as a user would.
      await page.keyboard.press('Control+K');
      await page.keyboard.press('S');
      await waitForFile(path.join(out, 'kustomization.yaml'), (text) => text.includes('\n- dj-route-v1-95-v2-5.yaml\n'));
    });
    await page.waitForTimeout(1500);
    await shot(page, 'migration-report');
    const routes = fs.readFileSync(path.join(out, 'dj-route-v1-95-v2-5.yaml'), 'utf8');
    if (!routes.includes('kind: HTTPRoute') || !routes.includes('weight: 95'))
      throw new Error(`the migrated router file is not the HTTPRoutes expected:\n${routes}`);
    log('migration from the palette applied');
  } catch (error) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failure-migration.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

/**
 * Phase 6: the rollout view on examples/dj: opened by a click on the stage lens, it shows the
 * canary 5 % split; a move clicked in the view changes the kustomization, a move taken with the
 * keyboard too, and the view follows each; a problem in the tree shows as a link that opens its line.
 */
async function driveRollout(vsix) {
  // A git repository, so that the view can tell what changed since HEAD.
  const commit = (kustomization) => {
    const git = (...args) =>
      execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args], { cwd: path.dirname(kustomization), stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'canary 5 %');
  };
  const { workspace, server, browser, page } = await openWorkbench(vsix, 'mk-e2e-rollout-', 'dj', commit);
  const kustomization = path.join(workspace, 'kustomization.yaml');
  try {
    await openFile(page, 'kustomization.yaml');
    const stageLens = page.locator('.codelens-decoration a', { hasText: 'Stage: canary 5 %' });
    await stageLens.waitFor({ timeout: 60000 });
    await stageLens.click();
    // A webview is an iframe in an iframe; the page's own document is the inner one.
    const view = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await view.locator('.step.current', { hasText: 'canary 5 %' }).waitFor({ timeout: 30000 });
    await view.locator('.service', { hasText: 'metal' }).locator('.segment', { hasText: 'metal-v1 95 %' }).waitFor({ timeout: 30000 });
    await page.waitForTimeout(800);
    await shot(page, 'rollout');

    await view.locator('button', { hasText: 'Switch to canary 95%' }).click();
    await view.locator('.step.current', { hasText: 'canary 95 %' }).waitFor({ timeout: 30000 });
    await view.locator('.service', { hasText: 'metal' }).locator('.segment', { hasText: 'metal-v2 95 %' }).waitFor({ timeout: 30000 });
    await view.locator('.uncommitted', { hasText: 'uncommitted: canary 5 % → canary 95 %' }).waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await shot(page, 'rollout-uncommitted');
    log('a move clicked in the rollout view: the view follows, with the change since HEAD');

    // From the keyboard: the roll back focused and taken with Enter.
    const rollBack = view.locator('button', { hasText: 'Roll back to blue' });
    await rollBack.focus();
    await page.keyboard.press('Enter');
    await view.locator('.step.current', { hasText: /^blue/ }).waitFor({ timeout: 30000 });

    // An edit by hand shows too: the v2 workloads commented out under the canary router break the tree.
    await view.locator('button', { hasText: 'Switch to canary 5%' }).click();
    await view.locator('.step.current', { hasText: 'canary 5 %' }).waitFor({ timeout: 30000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.type('#');
    const problem = view.locator('.problem.error', { hasText: 'router-target-not-running' }).first();
    await problem.waitFor({ timeout: 30000 });
    await page.waitForTimeout(800);
    await shot(page, 'rollout-problem');
    await problem.click();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+S');
    await waitForFile(kustomization, (text) => text.includes('\n#- dj-app-mesh-metal-v2.yaml\n') && text.includes('\n- dj-mesh-router-v1-95-v2-5.yaml\n'));
    log('the rollout view follows edits and links its problems');
  } catch (error) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failure-rollout.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

/**
 * Phase 7: "Test traffic split" on examples/dj through the default kubectl template: a stand-in
 * kubectl (it names a kube context, checks and strips `exec -n prod deploy/dj -c
 * dj --` and runs curl against the proxy), a real nginx weighted from the router file in front of one
 * small server per version. The context in the dialog, the progress, the verdict; then a long run
 * cancelled from its notification.
 */
async function driveProbe(vsix) {
  const { createMeshService, DiskFileSource, Workspace } = await import(path.join(REPO, 'out', 'server', 'src', 'engine', 'index.js'));
  const { fakeKubectl, proxiedServices, startBackends, startNginx } = await import(path.join(REPO, 'out', 'test', 'support', 'nginx.js'));
  const example = path.join(REPO, 'examples', 'dj');
  const view = createMeshService(new Workspace(new DiskFileSource(), [example])).stageView(path.join(example, 'kustomization.yaml'));
  const backends = await startBackends(view.services.flatMap((s) => s.versions.map((v) => v.name)));
  const nginx = await startNginx(proxiedServices(view, 'prod', backends));
  const kubectlDir = fakeKubectl({ namespace: 'prod', proxyPort: nginx.port, currentContext: 'e2e-loopback' });
  // The workbench's server takes its PATH from a login shell, so the stand-in is named by its path (a user setting).
  const opened = await openWorkbench(vsix, 'mk-e2e-probe-', 'dj', undefined, {
    'meshKustomize.probe.command': `${path.join(kubectlDir, 'kubectl')} exec -n {namespace} deploy/{workload} -c {container} -- curl -s http://{host}:{port}`,
    'meshKustomize.probe.namespace': 'prod',
    'meshKustomize.probe.requests': 200,
  });
  const { server, browser, page, settingsFile } = opened;
  const palette = async (title) => {
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type(`Mesh Kustomize: ${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
  };
  try {
    await openFile(page, 'kustomization.yaml');
    await page.locator('.codelens-decoration', { hasText: 'Stage: canary 5 %' }).first().waitFor({ timeout: 60000 });
    await palette('Test traffic split');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'e2e-loopback' });
    await dialog.waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await shot(page, 'probe-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Send' }).click();
    await page.locator('.notifications-toasts', { hasText: /testing the traffic split: \d+ of 400 requests/ }).waitFor({ timeout: 30000 });
    await shot(page, 'probe-progress');
    const verdict = page.locator('.notifications-toasts', { hasText: /metal: observed 95\/5 over 200 requests, configured 95\/5: consistent/ });
    await verdict.waitFor({ timeout: 60000 });
    await page.waitForTimeout(500);
    await shot(page, 'probe-result');
    log('the traffic split tested through kubectl and nginx: consistent');

    // A long run, cancelled from its progress notification.
    fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), 'meshKustomize.probe.requests': 20000 }, null, 2));
    await page.waitForTimeout(1500);
    await page.keyboard.press('Escape');
    await palette('Test traffic split');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Send' }).click();
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: 'testing the traffic split' });
    await progress.waitFor({ timeout: 30000 });
    await progress.hover();
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await page.locator('.notifications-toasts', { hasText: /cancelled/i }).waitFor({ timeout: 30000 });
    log('a long run cancelled from its notification');
  } catch (error) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failure-probe.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
    await nginx.stop();
    await backends.close();
  }
}

/** Quick Open, as a person would. */
async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
}

async function waitForFile(file, condition, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  // A file the edit creates may not be there yet.
  const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  while (!condition(read())) {
    if (Date.now() > deadline) throw new Error(`${file} did not reach the expected content:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

ensureTools();
const vsix = packageExtension();
// `--phase NAME` (repeatable) runs only those phases of the workbench: ui, gateway-api, istio, migration, rollout, probe.
const phases = process.argv.flatMap((arg, i) => (arg === '--phase' ? [process.argv[i + 1]] : []));
const runs = (name) => phases.length === 0 || phases.includes(name);
if (!process.argv.includes('--ui-only') && phases.length === 0) await runSuite(vsix);
if (runs('ui')) await driveUi(vsix);
if (runs('gateway-api')) await driveGatewayApi(vsix);
if (runs('istio')) await driveIstio(vsix);
if (runs('migration')) await driveMigration(vsix);
if (runs('rollout')) await driveRollout(vsix);
if (runs('probe')) await driveProbe(vsix);
if (updateReadme) {
  fs.mkdirSync(README_IMAGES, { recursive: true });
  for (const name of ['diagnostics', 'quick-fix', 'after-lens', 'gateway-api', 'istio', 'migration-preview', 'rollout-uncommitted'])
    if (fs.existsSync(path.join(SCREENSHOTS, `${name}.png`))) fs.copyFileSync(path.join(SCREENSHOTS, `${name}.png`), path.join(README_IMAGES, `${name}.png`));
}
process.stdout.write(`e2e: ${phases.length === 0 ? 7 : phases.length} passed, 0 failed\n`);

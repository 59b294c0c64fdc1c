/**
 * The rollout view's page: draws what the extension sends (the server's rollout of one
 * kustomization) with DOM calls only, so that no text from a file is ever read as markup, and
 * posts the user's clicks back. Runs in the webview under a content security policy that allows
 * this script and the stylesheet beside it, nothing else.
 */
import type { RolloutInfo, RolloutProblem } from '../../server/src/protocol';
import type { FromPage, ToPage } from './messages';

declare function acquireVsCodeApi(): { postMessage(message: FromPage): void };
const vscode = acquireVsCodeApi();

type Child = Node | string | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

const SEVERITY_SIGNS: Record<RolloutProblem['severity'], string> = { error: '✖', warning: '⚠', information: 'ℹ', hint: '·' };

function fileName(uri: string): string {
  return decodeURIComponent(uri.replace(/^.*\//, ''));
}

/** "Stage: canary 5 % — jazz 95/5, metal 95/5" → "canary 5 %". */
function stageTitle(info: RolloutInfo): string {
  const { view } = info;
  if (!view.stage) return 'No stage';
  return view.label.replace(/^Stage: /, '').replace(/ — .*$/, '');
}

function pathSection(info: RolloutInfo): HTMLElement {
  const steps = info.view.path.map((step) =>
    el(
      'li',
      step.current ? { class: 'step current', 'aria-current': 'step' } : { class: 'step' },
      step.name,
      step.current && el('span', { class: 'visually-hidden' }, ' (current stage)'),
    ),
  );
  return el('section', { 'aria-labelledby': 'path-heading' }, el('h2', { id: 'path-heading' }, 'Rollout path'), el('ol', { class: 'path' }, ...steps));
}

function serviceBlock(service: RolloutInfo['view']['services'][number]): HTMLElement {
  const routed = service.versions.some((v) => v.percent !== undefined);
  const bar = el('div', { class: 'bar', role: 'img' });
  const shares: string[] = [];
  service.versions.forEach((version, index) => {
    if (version.percent === undefined) return;
    shares.push(`${version.name} ${version.percent} %`);
    if (version.percent === 0) return;
    const stopped = service.stopped.includes(version.name);
    const segment = el(
      'div',
      { class: `segment colour-${Math.min(index, 3)}${stopped ? ' stopped' : ''}` },
      version.percent >= 12 ? `${version.name} ${version.percent} %` : '',
    );
    // CSSOM, not a style attribute: the content security policy allows no inline styles.
    segment.style.width = `${version.percent}%`;
    segment.title = `${version.name}: ${version.percent} %${stopped ? ', not running' : ''}`;
    bar.append(segment);
  });
  bar.setAttribute('aria-label', routed ? `${service.name}: ${shares.join(', ')}` : `${service.name}: no router enabled`);
  const rows = service.versions.map((version) => {
    const stopped = service.stopped.includes(version.name);
    const runs = version.running ? 'running' : stopped ? 'not running, but routed' : 'not running';
    return el(
      'tr',
      stopped ? { class: 'stopped-row' } : {},
      el('th', { scope: 'row' }, version.name),
      el('td', { class: 'share' }, version.percent === undefined ? '—' : `${version.percent} %`),
      el('td', { class: version.running ? 'runs' : stopped ? 'runs broken' : 'runs idle' }, `${version.running ? '●' : stopped ? '✖' : '○'} ${runs}`),
    );
  });
  return el(
    'div',
    { class: 'service' },
    el('h3', {}, service.name),
    routed ? bar : el('p', { class: 'muted' }, 'No router is enabled: no traffic is routed.'),
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'version'), el('th', { scope: 'col' }, 'share'), el('th', { scope: 'col' }, 'runs'))),
      el('tbody', {}, ...rows),
    ),
  );
}

function movesSection(info: RolloutInfo): HTMLElement {
  const { view } = info;
  // The next move on the path first, then the roll back, then the rest in the server's order.
  const rank = (title: string): number => (title === view.next ? 0 : title === view.rollBack ? 1 : 2);
  const moves = [...view.moves].sort((a, b) => rank(a.title) - rank(b.title));
  const buttons = moves.map((move) => {
    const button = el('button', { type: 'button', class: move.title === view.next ? 'primary' : 'secondary', 'data-key': `move:${move.title}` }, move.title);
    button.addEventListener('click', () => vscode.postMessage({ type: 'move', uri: info.uri, version: info.version, target: move.target }));
    return button;
  });
  return el(
    'section',
    { 'aria-labelledby': 'moves-heading' },
    el('h2', { id: 'moves-heading' }, 'Moves'),
    buttons.length > 0
      ? el('div', { class: 'moves' }, ...buttons)
      : el('p', { class: 'muted' }, 'No router file of this directory moves the rollout from here.'),
  );
}

function problemsSection(info: RolloutInfo): HTMLElement {
  const items = info.problems.map((problem) => {
    const link = el(
      'a',
      { href: '#', class: `problem ${problem.severity}`, 'data-key': `problem:${problem.uri}:${problem.line}:${problem.code}` },
      el('span', { class: 'sign', 'aria-hidden': 'true' }, SEVERITY_SIGNS[problem.severity]),
      el('span', { class: 'visually-hidden' }, `${problem.severity}: `),
      el('span', { class: 'location' }, `${fileName(problem.uri)}:${problem.line + 1}`),
      ' ',
      el('span', { class: 'message' }, problem.message),
      ' ',
      el('span', { class: 'code' }, problem.code),
    );
    link.addEventListener('click', (event) => {
      event.preventDefault();
      vscode.postMessage({ type: 'open', uri: problem.uri, line: problem.line, character: problem.character });
    });
    return el('li', {}, link);
  });
  return el(
    'section',
    { 'aria-labelledby': 'problems-heading' },
    el('h2', { id: 'problems-heading' }, `Problems (${info.problems.length})`),
    items.length > 0 ? el('ul', { class: 'problems' }, ...items) : el('p', { class: 'muted' }, 'None in this kustomization tree.'),
  );
}

function show(message: Extract<ToPage, { type: 'show' }>): HTMLElement {
  const { info } = message;
  return el(
    'main',
    {},
    el(
      'header',
      {},
      el('h1', {}, stageTitle(info)),
      el('p', { class: 'where' }, message.workspaceRelative),
      !info.view.stage && info.view.reason && el('p', { class: 'reason' }, info.view.reason),
      message.uncommitted && el('p', { class: 'uncommitted' }, `uncommitted: ${message.uncommitted}`),
    ),
    pathSection(info),
    el('section', { 'aria-labelledby': 'traffic-heading' }, el('h2', { id: 'traffic-heading' }, 'Traffic'), ...info.view.services.map(serviceBlock)),
    movesSection(info),
    problemsSection(info),
  );
}

const root = document.getElementById('root')!;

window.addEventListener('message', (event: MessageEvent<ToPage>) => {
  const message = event.data;
  // Redrawn on every edit: keep the keyboard focus where it was.
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
  root.replaceChildren(message.type === 'show' ? show(message) : el('main', {}, el('p', { class: 'muted' }, message.reason)));
  if (focused) (root.querySelector(`[data-key="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
});

vscode.postMessage({ type: 'ready' });

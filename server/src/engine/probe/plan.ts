import type { StageView } from '../stageView';

/**
 * The plan of a live split test: for each service of a kustomization's stage, the command that asks
 * it once and the shares its versions should answer in. Plain data from a StageView, so that the
 * CLI and the language server run the same plan and tests can check it without a cluster.
 */

/** The seed's "Test via DJ App" step as one command: curl the service from inside the dj container. */
export const DEFAULT_PROBE_COMMAND = 'kubectl exec -n {namespace} deploy/{workload} -c {container} -- curl -s http://{host}:{port}';
export const DEFAULT_PROBE_HOST = '{service}.{namespace}.svc.cluster.local';

export interface ProbeSettings {
  /** The command template, split into arguments like a shell would (quotes, backslashes), run without one. */
  command: string;
  /** The template of the host each service is asked at. */
  host: string;
  workload: string;
  container: string;
  port: number;
  /** Overrides the namespace the kustomization or its router names. */
  namespace: string | undefined;
  /** A kube context for kubectl (`--context NAME`), when the program is kubectl. */
  context: string | undefined;
}

export const DEFAULT_PROBE_SETTINGS: ProbeSettings = {
  command: DEFAULT_PROBE_COMMAND,
  host: DEFAULT_PROBE_HOST,
  workload: 'dj',
  container: 'dj',
  port: 9080,
  namespace: undefined,
  context: undefined,
};

export interface ProbeTarget {
  service: string;
  host: string;
  /** The command that asks the service once: the program, then its arguments. */
  argv: string[];
  /** The versions the enabled router names and their configured shares in percent. */
  versions: { name: string; percent: number }[];
}

export interface ProbePlan {
  kustomization: string;
  /** The stage's label ("Stage: canary 5 % — jazz 95/5, metal 95/5"). */
  label: string;
  namespace: string;
  /** Where the namespace came from, for people. */
  namespaceSource: 'option' | 'kustomization' | 'router' | 'default';
  targets: ProbeTarget[];
  /** Whether the program is kubectl, whose kube context says which cluster the requests go to. */
  kubectl: boolean;
  /** The kube context given (passed as `--context`); else kubectl's current one applies. */
  context: string | undefined;
  /** The command that prints kubectl's current context, when that is the one that applies. */
  contextArgv: string[] | undefined;
}

const PLACEHOLDERS = ['namespace', 'workload', 'container', 'host', 'port', 'service'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** A template's words as a POSIX shell splits them: blanks separate, quotes and backslashes keep; no expansion. */
export function splitCommand(template: string): string[] | { error: string } {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === "'") {
      const end = template.indexOf("'", i + 1);
      if (end < 0) return { error: `unclosed ' in the command: ${template}` };
      word = (word ?? '') + template.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < template.length && template[j] !== '"'; j++) {
        if (template[j] === '\\' && j + 1 < template.length && '"\\$`'.includes(template[j + 1])) j++;
        text += template[j];
      }
      if (j >= template.length) return { error: `unclosed " in the command: ${template}` };
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\' && i + 1 < template.length) {
      word = (word ?? '') + template[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words.length > 0 ? words : { error: 'the command is empty' };
}

/** A placeholder is a word in braces; other braces (`{}`, JSON) stay as written. */
const PLACEHOLDER = /\{(\w+)\}/g;

/** Fills `{name}` placeholders; an unknown one is an error, so a typo does not go out as a literal. */
function fill(text: string, values: Record<Placeholder, string>): string | { error: string } {
  const unknown = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).find((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown !== undefined) return { error: `unknown placeholder {${unknown}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})` };
  return text.replace(PLACEHOLDER, (_, name: Placeholder) => values[name]);
}

/** Whether the template's program is kubectl, which has a current context and a --context option. */
export function isKubectl(program: string): boolean {
  return /(^|[/\\])kubectl(\.exe)?$/.test(program);
}

/** A namespace as written, with `${VAR}` filled from the environment as envsubst would (the seed's manifests use `${example_namespace}`). */
function namespaceFrom(written: string, env: Readonly<Record<string, string | undefined>>): string | { error: string } {
  const missing = [...written.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).filter((name) => !env[name]);
  if (missing.length > 0)
    return { error: `the namespace is written '${written}' and ${missing.map((m) => `$${m}`).join(', ')} is not set: set it, or set the namespace to test in` };
  return written.replace(/\$\{(\w+)\}/g, (_, name: string) => env[name]!);
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The plan for a stage view. `written` is the namespace the kustomization (or else its enabled router)
 * names; `env` fills `${VAR}` in it. Services whose shares are unknown (no router enabled) cannot be
 * tested: without any service left, the plan is an error.
 */
export function probePlan(
  view: StageView,
  written: { namespace: string; source: 'kustomization' | 'router' } | undefined,
  settings: ProbeSettings,
  env: Readonly<Record<string, string | undefined>> = {},
): ProbePlan | { error: string } {
  let namespace: string;
  let namespaceSource: ProbePlan['namespaceSource'];
  if (settings.namespace) [namespace, namespaceSource] = [settings.namespace, 'option'];
  else if (written) {
    const filled = namespaceFrom(written.namespace, env);
    if (typeof filled !== 'string') return filled;
    [namespace, namespaceSource] = [filled, written.source];
  } else [namespace, namespaceSource] = ['default', 'default'];
  if (!NAME.test(namespace)) return { error: `'${namespace}' is no namespace name (lowercase letters, digits and '-')` };
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535)
    return { error: `the port must be a number from 1 to 65535, not ${settings.port}` };

  const words = splitCommand(settings.command);
  if (!Array.isArray(words)) return words;
  const kubectl = isKubectl(words[0]);
  const contextWords = kubectl && settings.context ? ['--context', settings.context] : [];

  const routed = view.services.filter((s) => s.versions.some((v) => v.percent !== undefined));
  if (routed.length === 0) return { error: `${view.label}: no router is enabled, so there is no split to test` };
  const targets: ProbeTarget[] = [];
  for (const service of routed) {
    const values: Record<Placeholder, string> = {
      namespace,
      workload: settings.workload,
      container: settings.container,
      port: String(settings.port),
      service: service.name,
      host: '',
    };
    const host = fill(settings.host, values);
    if (typeof host !== 'string') return host;
    values.host = host;
    const argv: string[] = [];
    for (const word of words) {
      const filled = fill(word, values);
      if (typeof filled !== 'string') return filled;
      argv.push(filled);
    }
    targets.push({
      service: service.name,
      host,
      argv: [argv[0], ...contextWords, ...argv.slice(1)],
      versions: service.versions.map((v) => ({ name: v.name, percent: v.percent ?? 0 })),
    });
  }
  return {
    kustomization: view.kustomization,
    label: view.label,
    namespace,
    namespaceSource,
    targets,
    kubectl,
    context: kubectl ? settings.context : undefined,
    // `config current-context` reads the kubeconfig and ignores --context: with one given, that is the answer.
    contextArgv: kubectl && !settings.context ? [words[0], 'config', 'current-context'] : undefined,
  };
}

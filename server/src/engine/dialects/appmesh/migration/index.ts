import * as path from 'node:path';
import { isRemoteEntry, Kustomization } from '../../../kustomization';
import { isRecord, ManifestObject } from '../../../manifest';
import { Workspace } from '../../../workspace';
import { isAppMesh, isLegacy } from '../traffic';
import { MeshRouter, MeshTree, readMeshTree, TreeFile } from './model';
import { listenerName, Rendering, yamlDocument } from './render';
import { MigrationNote, MigrationTarget } from './report';

export { markdownReport, MigrationNote, MigrationTarget, TARGET_LABELS } from './report';

/** The migrated tree: every file it writes (none of which exists yet) and what does not carry over. */
export interface MigrationPlan {
  target: MigrationTarget;
  /** The folder of the migrated tree. */
  outDir: string;
  files: { path: string; text: string }[];
  notes: MigrationNote[];
  /** Why nothing is migrated, when the tree cannot be (App Mesh v1beta1). */
  refusal: string | undefined;
}

export const MIGRATION_TARGETS: readonly MigrationTarget[] = ['gamma', 'lattice', 'istio'];

/**
 * Migrates the App Mesh rollout of a kustomization's directory to a successor API, into a new
 * folder beside it (`<dir>-<target>`): the same files under names that say what they now hold,
 * every router file as its successor with the same split, each version as a Service (Gateway API;
 * with a TargetGroupPolicy on Lattice) or a DestinationRule subset (Istio), and the kustomization
 * with every entry in its place, enabled or commented as before — so the stage stays the stage.
 */
export function planMigration(workspace: Workspace, kustomization: Kustomization, target: MigrationTarget, outDir?: string): MigrationPlan {
  const tree = readMeshTree(workspace, kustomization);
  const rendering = new Rendering(tree, target);
  const out = outDir ?? `${tree.dir}-${target}`;
  const legacy = tree.files.flatMap((f) => f.docs).find((d) => d.object && isAppMesh(d.object) && isLegacy(d.object))?.object;
  if (legacy) {
    const refusal = `${path.basename(legacy.path)} holds App Mesh v1beta1 objects (${legacy.kind} ${legacy.name}): migrate the tree to v1beta2 first (its quick fixes rename the fields), then to the new API.`;
    return { target, outDir: out, files: [], notes: [], refusal };
  }
  if (tree.routers.length === 0) return { target, outDir: out, files: [], notes: [], refusal: `${path.basename(tree.dir)} has no App Mesh router to migrate.` };
  const prefix = commonPrefix(tree);
  const renamed = new Map<string, string>();
  const files: { path: string; text: string }[] = [];
  for (const file of tree.files) {
    const name = newFileName(path.basename(file.path), target);
    renamed.set(file.path, name);
    files.push({ path: path.join(out, name), text: migrateFile(file, rendering) });
  }
  const extra = extraFiles(rendering, prefix);
  for (const file of extra) files.push({ path: path.join(out, file.name), text: file.text });
  files.push({
    path: path.join(out, path.basename(kustomization.path)),
    text: migrateKustomization(
      kustomization,
      renamed,
      extra.map((f) => f.name),
      out,
    ),
  });
  for (const entry of kustomization.entries) {
    if (!isRemoteEntry(entry.value)) continue;
    rendering.notes.push({
      path: kustomization.path,
      range: entry.range,
      severity: 'warning',
      message: `${entry.value} is remote and not migrated (it is never fetched): if it holds App Mesh objects, migrate it where it lives.`,
    });
  }
  if (!rendering.notes.some((n) => n.message.startsWith('The Mesh is not migrated'))) {
    // The namespace's App Mesh labels and sidecars are not in the tree, but must go all the same.
    const range = kustomization.keys.get('namespace') ??
      kustomization.keys.get('resources') ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    rendering.notes.push({ path: kustomization.path, range, severity: 'information', message: meshNote(target) });
  }
  return {
    target,
    outDir: out,
    files,
    notes: rendering.notes.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line),
    refusal: undefined,
  };
}

/** What the files of a rollout are called after migration: "dj-app-mesh-metal-v1.yaml" → "dj-metal-v1.yaml", routers after their new kind. */
export function newFileName(name: string, target: MigrationTarget): string {
  return name
    .replace(/mesh-router/g, target === 'istio' ? 'virtual-service' : 'route')
    .replace(/app-?mesh-/g, '')
    .replace(/-app-?mesh(?=[.-])/g, '');
}

function commonPrefix(tree: MeshTree): string {
  const names = tree.files.map((f) => newFileName(path.basename(f.path), 'gamma'));
  const dash = names.map((n) => n.slice(0, n.indexOf('-') + 1));
  return dash.length > 0 && dash.every((d) => d === dash[0]) ? dash[0] : '';
}

function migrateFile(file: TreeFile, rendering: Rendering): string {
  const { tree } = rendering;
  const servicesHere = new Set(file.docs.flatMap((d) => (d.object?.kind === 'Service' && d.object.apiVersion === 'v1' ? [d.object.name] : [])));
  const docs: string[] = [];
  for (const doc of file.docs) {
    const object = doc.object;
    if (!object || !isAppMesh(object)) {
      docs.push(rendering.target === 'istio' && object ? istioApexService(rendering, object, doc.text) : doc.text);
      continue;
    }
    switch (object.kind) {
      case 'VirtualRouter':
        docs.push(...rendering.routerDocuments(tree.routers.find((r) => r.object === object)!));
        break;
      case 'VirtualNode': {
        const node = tree.nodes.get(object.name)!;
        docs.push(...rendering.versionDocuments(node, servicesHere.has(rendering.versionServiceOf(object.name))));
        noteBackends(rendering, object);
        break;
      }
      case 'VirtualService': {
        noteClients(rendering, object);
        const apex = apexServiceDocument(rendering, object);
        if (apex) docs.push(apex);
        break;
      }
      case 'Mesh':
        rendering.note(object, ['metadata', 'name'], 'information', meshNote(rendering.target));
        break;
      case 'VirtualGateway':
      case 'GatewayRoute':
        rendering.note(
          object,
          ['kind'],
          'warning',
          `${object.kind} ${object.name} is not migrated: the way into the mesh is out of scope here (${rendering.target === 'istio' ? 'an Istio Gateway and VirtualService' : rendering.target === 'lattice' ? 'the AWS Load Balancer Controller, not the Lattice controller' : 'a Gateway and its HTTPRoutes'} take its place). It is left out of the migrated tree.`,
        );
        break;
      default:
        rendering.note(object, ['kind'], 'warning', `${object.kind} (${object.apiVersion}) is not migrated; it is left out of the migrated tree.`);
    }
  }
  return docs.map((d) => d.replace(/\n*$/, '\n')).join('---\n');
}

/**
 * The Service clients call, where the tree has none (App Mesh only needs the name to resolve, and
 * it may be defined elsewhere): routes attach to it on the Gateway API, and Istio's subsets pick its pods.
 */
function apexServiceDocument(rendering: Rendering, object: ManifestObject): string | undefined {
  const { tree } = rendering;
  const binding = [...tree.servicesByProvider.entries()].find(([, s]) => s.object === object);
  const router = binding && tree.routers.find((r) => r.object.name === binding[0]);
  if (!binding || !router || rendering.target === 'lattice' || tree.coreServices.has(binding[1].apex)) return undefined;
  const selector = sharedLabels(rendering, router);
  rendering.note(
    object,
    ['metadata', 'name'],
    'information',
    `The tree defines no Service ${binding[1].apex}; the migrated tree adds one${
      Object.keys(selector).length > 0
        ? ` selecting ${Object.entries(selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : ''
    }. If it is defined elsewhere, drop the one added.`,
  );
  return yamlDocument(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: binding[1].apex },
      spec: {
        ...(Object.keys(selector).length > 0 ? { selector } : {}),
        ports: router.ports.map((p) => ({ name: `${p.protocol}-${p.port}`, port: p.port, targetPort: p.port })),
      },
    },
    `The Service clients call, in place of App Mesh VirtualService ${object.name}.`,
  );
}

/** The pod labels every version of a router's service has, but its version label. */
function sharedLabels(rendering: Rendering, router: MeshRouter): Record<string, string> {
  const versions = [...new Set(router.routes.flatMap((r) => r.targets.map((t) => t.node)))].flatMap((n) => {
    const labels = rendering.tree.nodes.get(n)?.labels;
    return labels ? [labels] : [];
  });
  return Object.fromEntries(Object.entries(versions[0] ?? {}).filter(([k, v]) => versions.every((labels) => labels[k] === v) && !/^version$/i.test(k)));
}

/** For Istio, a Service clients call must select the pods of every version: its subsets pick among them. */
function istioApexService(rendering: Rendering, object: ManifestObject, text: string): string {
  if (object.kind !== 'Service' || object.apiVersion !== 'v1') return text;
  const router = rendering.tree.routers.find((r) => rendering.apexOf(r) === object.name);
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  if (!router || (isRecord(spec.selector) && Object.keys(spec.selector).length > 0)) return text;
  const shared = sharedLabels(rendering, router);
  if (Object.keys(shared).length === 0) return text;
  rendering.note(
    object,
    ['metadata', 'name'],
    'information',
    `Service ${object.name} now selects ${Object.entries(shared)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )}: Istio's subsets of it pick the pods of each version among its endpoints, so it needs a selector (App Mesh only needed its name to resolve).`,
  );
  const value = { ...object.value, spec: { ...spec, selector: shared } };
  return yamlDocument(value as Record<string, unknown>, `Selects every version of ${object.name}; the DestinationRule's subsets pick one.`);
}

function noteBackends(rendering: Rendering, object: ManifestObject): void {
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  if (!Array.isArray(spec.backends) && !Array.isArray(spec.backendGroups)) return;
  const where =
    rendering.target === 'istio'
      ? "an Istio Sidecar's egress hosts or an AuthorizationPolicy"
      : rendering.target === 'lattice'
        ? 'an IAMAuthPolicy on the Gateway or routes'
        : "the mesh implementation's own policy objects";
  rendering.note(
    object,
    ['spec', Array.isArray(spec.backends) ? 'backends' : 'backendGroups'],
    'warning',
    `VirtualNode ${object.name}'s backends allow-list does not carry over: ${where} can restrict what it may call.`,
  );
}

function noteClients(rendering: Rendering, object: ManifestObject): void {
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  const apex = (typeof spec.awsName === 'string' ? spec.awsName : object.name).split('.')[0];
  if (rendering.target === 'lattice') {
    const callers = [...rendering.tree.nodes.values()].filter((node) => backendsOf(node.object).includes(object.name)).map((node) => node.object.name);
    const who = callers.length > 0 ? ` (${callers.join(', ')}, which ${callers.length === 1 ? 'lists' : 'list'} it as a backend)` : '';
    rendering.note(
      object,
      ['metadata', 'name'],
      'warning',
      `Clients of ${apex}${who} must change the name they call: on VPC Lattice each route is its own service with its own DNS name (the route's annotation application-networking.k8s.aws/lattice-assigned-domain-name), not ${apex}.<namespace>.svc.cluster.local.`,
    );
  } else {
    rendering.note(
      object,
      ['metadata', 'name'],
      'information',
      `Clients keep calling ${apex}: ${rendering.target === 'istio' ? 'the VirtualService for host' : 'the routes attached to Service'} ${apex} ${rendering.target === 'istio' ? 'takes' : 'take'} the place of VirtualService ${object.name}.`,
    );
  }
}

function meshNote(target: MigrationTarget): string {
  const install =
    target === 'istio'
      ? 'label the namespace istio-injection=enabled'
      : target === 'lattice'
        ? 'associate the VPC with the service network (the Gateway)'
        : 'enable the mesh implementation (Istio, Linkerd) for the namespace';
  return `The Mesh is not migrated. In the namespace of these objects, remove the App Mesh namespace labels (mesh, appmesh.k8s.aws/sidecarInjectorWebhook), ${install}, and restart the Deployments so that their pods lose the Envoy sidecar App Mesh injected.`;
}

/** Lattice's Gateway (the service network) with one listener per port, and Istio's DestinationRules. */
function extraFiles(rendering: Rendering, prefix: string): { name: string; text: string }[] {
  const { tree, target } = rendering;
  if (target === 'lattice') {
    const ports = new Map<string, { name: string; port: number; protocol: string }>();
    for (const router of tree.routers) {
      for (const p of router.ports) {
        // The listener the routes name by sectionName: its name says its protocol.
        const name = listenerName(p.protocol, p.port);
        ports.set(name, { name, port: p.port, protocol: name.startsWith('https') ? 'HTTPS' : 'HTTP' });
      }
    }
    const gatewayClass = yamlDocument({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'amazon-vpc-lattice' },
      spec: { controllerName: 'application-networking.k8s.aws/gateway-api-controller' },
    });
    const gateway = yamlDocument(
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: rendering.gatewayName },
        spec: { gatewayClassName: 'amazon-vpc-lattice', listeners: [...ports.values()] },
      },
      'The VPC Lattice service network that takes the place of the mesh: one listener per port the routers served.',
    );
    return [{ name: `${prefix}gateway.yaml`, text: `${gatewayClass}---\n${gateway}` }];
  }
  if (target === 'istio') {
    const rules: string[] = [];
    for (const router of tree.routers) {
      const apex = rendering.apexOf(router);
      const nodes = [...new Set(router.routes.flatMap((r) => r.targets.map((t) => t.node)))];
      const subsets = nodes.map((n) => ({ name: rendering.subsetOf(n), labels: tree.nodes.get(n)?.labels ?? {} }));
      if (rules.some((r) => r.includes(`\n  name: ${apex}\n`))) continue;
      rules.push(yamlDocument({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: apex }, spec: { host: apex, subsets } }));
    }
    return rules.length > 0 ? [{ name: `${prefix}destination-rules.yaml`, text: rules.join('---\n') }] : [];
  }
  return [];
}

/** The kustomization with every entry renamed in place (enabled or commented as before) and the new files listed first. */
function migrateKustomization(kustomization: Kustomization, renamed: Map<string, string>, added: string[], out: string): string {
  const dir = path.dirname(kustomization.path);
  const text = kustomization.parsed.text;
  const lines = text.split('\n');
  for (const entry of [...kustomization.entries].sort((a, b) => b.line - a.line || b.range.start.character - a.range.start.character)) {
    const resolved = path.resolve(dir, entry.value);
    const inPlace = renamed.get(resolved);
    // What the migration does not copy (components, bases in other folders) is still read from where it is.
    const remote = isRemoteEntry(entry.value);
    const name =
      inPlace && path.dirname(entry.value) === '.'
        ? inPlace
        : remote || path.isAbsolute(entry.value)
          ? undefined
          : path.relative(out, resolved).split(path.sep).join('/');
    if (!name || name === entry.value) continue;
    const line = lines[entry.line];
    lines[entry.line] = line.slice(0, entry.range.start.character) + line.slice(entry.range.start.character).replace(entry.value, name);
  }
  const resources = lines.findIndex((l) => /^resources:\s*(#.*)?\r?$/.test(l));
  if (resources >= 0 && added.length > 0) {
    const first = kustomization.entries.find((e) => e.field === 'resources' && e.enabled);
    const indent = first ? (lines[first.line].match(/^(\s*)-/)?.[1] ?? '') : '';
    const eol = text.includes('\r\n') ? '\r' : '';
    lines.splice(resources + 1, 0, ...added.map((name) => `${indent}- ${name}${eol}`));
  }
  return lines.join('\n');
}

/** The App Mesh VirtualServices a VirtualNode lists as its backends. */
function backendsOf(node: ManifestObject): string[] {
  const spec = isRecord(node.value.spec) ? node.value.spec : {};
  return (Array.isArray(spec.backends) ? spec.backends : []).flatMap((backend) => {
    const ref = isRecord(backend) && isRecord(backend.virtualService) ? backend.virtualService.virtualServiceRef : undefined;
    return isRecord(ref) && typeof ref.name === 'string' ? [ref.name] : [];
  });
}

#!/usr/bin/env node
// Seeded generator of synthetic GitOps workspaces shaped like real App Mesh repositories.
//
//   clusters/prod/kustomization.yaml          lists every team (the one top-level root)
//   teams/team-NNN/kustomization.yaml         lists its applications (25 per team)
//   teams/team-NNN/app-NNNNN/                 one stage directory per application:
//     kustomization.yaml                      the stage: versions and exactly one router enabled
//     frontend.yaml                           VirtualNode + Deployment + Service, VirtualServices
//     <svc>-v1.yaml, <svc>-v2.yaml            per version: VirtualNode + Deployment + Service
//     router-v1.yaml, router-v1-95-v2-5.yaml, router-v1-5-v2-95.yaml, router-v2.yaml
//
// Every application has 2–4 services × 2 versions, so 12 files on average. Its stage is one of
// blue, canary 5 %, canary 95 % and green (all valid: no diagnostic, but for notes on Istio's
// subsets without pods), or — for a known, seeded subset — "broken": the canary router enabled while
// v2 is commented out, which gives a known set of errors. The manifest returned (and written as
// bench-manifest.json) lists the files with diagnostics (stageExpectations), so a benchmark can wait
// for exactly the diagnostics it expects.
//
// --dialect gatewayapi writes the same trees on the Gateway API (versions are the Deployment and
// Service, routers HTTPRoutes attached to the service's own Service); --dialect istio on Istio
// (frontend.yaml also holds each service's Service, selecting all its versions, and DestinationRule
// with subsets v1 and v2; a version is its Deployment; routers are VirtualServices to the subsets);
// --dialect mixed alternates App Mesh, Gateway API and Istio by application, as a repository in the
// middle of its migration does.
//
// Usage: node scripts/bench/generate.mjs --n 100 --out /tmp/ws [--seed 42] [--broken-every 20] [--dialect appmesh|gatewayapi|istio|mixed]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const APPS_PER_TEAM = 25;
const SERVICE_POOL = ['metal', 'jazz', 'rock', 'blues', 'soul', 'funk', 'punk', 'disco', 'swing', 'grunge', 'house', 'techno'];
export const ROUTERS = ['router-v1.yaml', 'router-v1-95-v2-5.yaml', 'router-v1-5-v2-95.yaml', 'router-v2.yaml'];
const ROUTER_WEIGHTS = {
  'router-v1.yaml': [100, 0],
  'router-v1-95-v2-5.yaml': [95, 5],
  'router-v1-5-v2-95.yaml': [5, 95],
  'router-v2.yaml': [0, 100],
};
const STAGES = ['blue', 'canary5', 'canary95', 'green'];

/** mulberry32: small, fast and good enough to make the same tree from the same seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, width) => String(n).padStart(width, '0');

export const DIALECTS = ['appmesh', 'gatewayapi', 'istio', 'mixed'];
/** The dialects of `mixed`, by application index. */
const MIXED_DIALECTS = ['appmesh', 'gatewayapi', 'istio'];

/** The VirtualNode of a version, which only App Mesh trees have. */
function virtualNode(app, svc, version, port) {
  return `---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata:
  name: ${svc}-${version}
spec:
  podSelector:
    matchLabels:
      app: ${svc}
      version: ${version}
  listeners:
    - portMapping:
        port: ${port}
        protocol: http
      healthCheck:
        protocol: http
        path: /ping
        healthyThreshold: 2
        unhealthyThreshold: 2
        timeoutMillis: 2000
        intervalMillis: 5000
  serviceDiscovery:
    dns:
      hostname: ${svc}-${version}.${app}.svc.cluster.local
`;
}

function versionFile(app, svc, version, port, dialect) {
  const deployment = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${svc}-${version}
  labels:
    app: ${svc}
    version: ${version}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${svc}
      version: ${version}
  template:
    metadata:
      labels:
        app: ${svc}
        version: ${version}
    spec:
      containers:
        - name: ${svc}
          image: registry.example.com/${app}/${svc}:${version}.0
          ports:
            - containerPort: ${port}
          env:
            - name: HW_RESPONSE
              value: '["${svc}-${version}", "${app}"]'
`;
  // On Istio the version is its pods: the service's one Service and a DestinationRule subset reach them.
  if (dialect === 'istio') return deployment;
  return `${dialect === 'appmesh' ? virtualNode(app, svc, version, port) : ''}${deployment}---
apiVersion: v1
kind: Service
metadata:
  name: ${svc}-${version}
  labels:
    app: ${svc}
    version: ${version}
spec:
  selector:
    app: ${svc}
    version: ${version}
  ports:
    - name: http
      port: ${port}
      targetPort: ${port}
`;
}

function frontendNode(app, services, port) {
  return `---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata:
  name: frontend
spec:
  podSelector:
    matchLabels:
      app: frontend
      version: v1
  listeners:
    - portMapping:
        port: ${port}
        protocol: http
  serviceDiscovery:
    dns:
      hostname: frontend.${app}.svc.cluster.local
  backends:
${services.map((s) => `    - virtualService:\n        virtualServiceRef:\n          name: ${s}\n`).join('')}`;
}

function frontendFile(app, services, port, dialect) {
  let text = `${dialect === 'appmesh' ? frontendNode(app, services, port) : ''}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  labels:
    app: frontend
    version: v1
spec:
  replicas: 1
  selector:
    matchLabels:
      app: frontend
      version: v1
  template:
    metadata:
      labels:
        app: frontend
        version: v1
    spec:
      containers:
        - name: frontend
          image: registry.example.com/${app}/frontend:v1.0
          ports:
            - containerPort: ${port}
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
  labels:
    app: frontend
spec:
  selector:
    app: frontend
    version: v1
  ports:
    - name: http
      port: ${port}
      targetPort: ${port}
`;
  for (const svc of services) {
    if (dialect === 'appmesh') {
      text += `---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata:
  name: ${svc}
spec:
  awsName: ${svc}.${app}.svc.cluster.local
  provider:
    virtualRouter:
      virtualRouterRef:
        name: ${svc}-router
---
# No selector: this Service only gives the VirtualService a DNS name that resolves.
`;
    }
    if (dialect === 'istio') {
      text += istioService(svc, port);
      continue;
    }
    // The service's own Service, without selector: what clients call, and what an HTTPRoute attaches to.
    text += `${dialect === 'appmesh' ? '' : '---\n'}apiVersion: v1
kind: Service
metadata:
  name: ${svc}
  labels:
    app: ${svc}
spec:
  ports:
    - name: http
      port: ${port}
      targetPort: ${port}
`;
  }
  return text;
}

/** An Istio service: its Service selects the pods of every version, its DestinationRule names each version's pods a subset. */
function istioService(svc, port) {
  return `---
apiVersion: v1
kind: Service
metadata:
  name: ${svc}
  labels:
    app: ${svc}
spec:
  selector:
    app: ${svc}
  ports:
    - name: http
      port: ${port}
      targetPort: ${port}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${svc}
spec:
  host: ${svc}
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
`;
}

/** VirtualServices, one per service, for the host of its Service; subsets of weight 0 left out as in App Mesh trees. */
function virtualServiceFile(services, [w1, w2]) {
  let text = '';
  for (const svc of services) {
    const destinations = [];
    if (w1 > 0) destinations.push(`        - destination:\n            host: ${svc}\n            subset: v1\n          weight: ${w1}\n`);
    if (w2 > 0) destinations.push(`        - destination:\n            host: ${svc}\n            subset: v2\n          weight: ${w2}\n`);
    text += `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${svc}
spec:
  hosts:
    - ${svc}
  http:
    - name: ${svc}-route
      route:
${destinations.join('')}`;
  }
  return text;
}

/** HTTPRoutes, one per service, attached to its Service (mesh mode); targets of weight 0 left out as in App Mesh trees. */
function httpRouteFile(services, [w1, w2], port) {
  let text = '';
  for (const svc of services) {
    const backends = [];
    if (w1 > 0) backends.push(`        - name: ${svc}-v1\n          port: ${port}\n          weight: ${w1}\n`);
    if (w2 > 0) backends.push(`        - name: ${svc}-v2\n          port: ${port}\n          weight: ${w2}\n`);
    text += `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${svc}-route
spec:
  parentRefs:
    - group: ""
      kind: Service
      name: ${svc}
      port: ${port}
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
${backends.join('')}`;
  }
  return text;
}

export function routerFile(services, weights, port, dialect = 'appmesh') {
  if (dialect === 'gatewayapi') return httpRouteFile(services, weights, port);
  if (dialect === 'istio') return virtualServiceFile(services, weights);
  const [w1, w2] = weights;
  let text = '';
  for (const svc of services) {
    const targets = [];
    if (w1 > 0) targets.push(`            - virtualNodeRef:\n                name: ${svc}-v1\n              weight: ${w1}\n`);
    if (w2 > 0) targets.push(`            - virtualNodeRef:\n                name: ${svc}-v2\n              weight: ${w2}\n`);
    text += `---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata:
  name: ${svc}-router
spec:
  listeners:
    - portMapping:
        port: ${port}
        protocol: http
  routes:
    - name: ${svc}-route
      httpRoute:
        match:
          prefix: /
        action:
          weightedTargets:
${targets.join('')}`;
  }
  return text;
}

/** The stage kustomization of an application; `stage` is one of STAGES or 'broken'. */
export function stageKustomization(app, services, stage) {
  // greenStandby (v2 routed, v1 kept running for rollback) is not generated: the bench moves a stage there.
  const v1 = stage !== 'green';
  const v2 = stage !== 'blue' && stage !== 'broken';
  const router = {
    blue: 'router-v1.yaml',
    canary5: 'router-v1-95-v2-5.yaml',
    canary95: 'router-v1-5-v2-95.yaml',
    green: 'router-v2.yaml',
    greenStandby: 'router-v2.yaml',
    broken: 'router-v1-95-v2-5.yaml',
  }[stage];
  const lines = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    `namespace: ${app}`,
    'labels:',
    '- pairs:',
    `    team-app: ${app}`,
    'resources:',
    '- frontend.yaml',
  ];
  lines.push('### versions');
  for (const svc of services) lines.push(`${v1 ? '' : '#'}- ${svc}-v1.yaml`);
  for (const svc of services) lines.push(`${v2 ? '' : '#'}- ${svc}-v2.yaml`);
  lines.push('### routers: exactly one enabled');
  for (const r of ROUTERS) lines.push(`${r === router ? '' : '#'}- ${r}${r === router ? '   # current stage' : ''}`);
  return lines.join('\n') + '\n';
}

/** Objects of one application of `count` services. */
function objectsOfApp(dialect, count) {
  const routers = ROUTERS.length * count;
  // frontend node, Deployment, Service; per service a VirtualService and Service; per version a node, Deployment, Service.
  if (dialect === 'appmesh') return 3 + 2 * count + 2 * 3 * count + routers;
  // frontend Deployment, Service; per service a Service; per version a Deployment, Service.
  if (dialect === 'gatewayapi') return 2 + count + 2 * 2 * count + routers;
  // frontend Deployment, Service; per service a Service and DestinationRule; per version a Deployment.
  return 2 + 2 * count + 2 * count + routers;
}

/**
 * The diagnostics the engine reports on one application of `count` services at `stage`, as
 * { file (relative to its directory), code, count }: a benchmark waits until each file shows exactly
 * `count` diagnostics of `code`. The one place to change when the rules change.
 */
export function stageExpectations(dialect, stage, count) {
  if (dialect !== 'istio') {
    // The v2 target of each service's route is not running: one error per service in the router
    // file, and one on the kustomization's enabled router entry. Every other stage is clean.
    if (stage !== 'broken') return [];
    return [
      { file: 'kustomization.yaml', code: 'router-target-not-running', count: 1 },
      { file: 'router-v1-95-v2-5.yaml', code: 'router-target-not-running', count },
    ];
  }
  // Istio: the host Service runs in every stage, so what a stage lacks is the pods of a subset.
  if (stage === 'broken') {
    // 5 % goes to subset v2, whose Deployment is off: one error at each DestinationRule's v2 subset
    // and one at each VirtualService's v2 destination (nothing on the kustomization).
    return [
      { file: 'frontend.yaml', code: 'subset-without-workloads', count },
      { file: 'router-v1-95-v2-5.yaml', code: 'subset-without-workloads', count },
    ];
  }
  // Blue has no v2 pods, green no v1 pods, and nothing routes there: one note per DestinationRule.
  if (stage === 'blue' || stage === 'green') return [{ file: 'frontend.yaml', code: 'idle-subset-without-workloads', count }];
  return [];
}

/**
 * Writes a workspace of `n` applications under `out` (which must not exist or be empty) and
 * returns its manifest.
 */
export function generate({ n, out, seed = 42, brokenEvery = 20, dialect = 'appmesh' }) {
  if (!DIALECTS.includes(dialect)) throw new Error(`--dialect: one of ${DIALECTS.join(', ')}`);
  const random = rng(seed * 1000003 + n);
  fs.mkdirSync(out, { recursive: true });
  const teams = Math.ceil(n / APPS_PER_TEAM);
  const teamWidth = Math.max(3, String(teams).length);
  const appWidth = Math.max(5, String(n).length);
  const manifest = { n, seed, brokenEvery, dialect, root: out, files: 0, objects: 0, stageDirs: [], topRoots: [], expected: [], apps: [] };
  let files = 0;
  const write = (file, text) => {
    fs.writeFileSync(file, text);
    files++;
  };
  const teamNames = [];
  for (let t = 0; t < teams; t++) {
    const team = `team-${pad(t, teamWidth)}`;
    teamNames.push(team);
    const teamDir = path.join(out, 'teams', team);
    fs.mkdirSync(teamDir, { recursive: true });
    const appNames = [];
    for (let a = t * APPS_PER_TEAM; a < Math.min(n, (t + 1) * APPS_PER_TEAM); a++) {
      const app = `app-${pad(a, appWidth)}`;
      appNames.push(app);
      const dir = path.join(teamDir, app);
      fs.mkdirSync(dir);
      const count = 2 + Math.floor(random() * 3);
      const start = Math.floor(random() * SERVICE_POOL.length);
      const services = Array.from({ length: count }, (_, i) => SERVICE_POOL[(start + i) % SERVICE_POOL.length]);
      const port = 8000 + Math.floor(random() * 1000);
      // The broken subset is chosen by index (seeded offset), so its size is exactly known.
      const broken = brokenEvery > 0 && a % brokenEvery === Math.floor(seed % brokenEvery);
      const stage = broken ? 'broken' : STAGES[Math.floor(random() * STAGES.length)];
      write(path.join(dir, 'kustomization.yaml'), stageKustomization(app, services, stage));
      const appDialect = dialect === 'mixed' ? MIXED_DIALECTS[a % MIXED_DIALECTS.length] : dialect;
      write(path.join(dir, 'frontend.yaml'), frontendFile(app, services, port, appDialect));
      for (const svc of services) {
        write(path.join(dir, `${svc}-v1.yaml`), versionFile(app, svc, 'v1', port, appDialect));
        write(path.join(dir, `${svc}-v2.yaml`), versionFile(app, svc, 'v2', port, appDialect));
      }
      for (const r of ROUTERS) write(path.join(dir, r), routerFile(services, ROUTER_WEIGHTS[r], port, appDialect));
      manifest.objects += objectsOfApp(appDialect, count);
      manifest.stageDirs.push(dir);
      manifest.apps.push({ app, dir, services, stage, port, dialect: appDialect });
      manifest.expected.push(...stageExpectations(appDialect, stage, count).map((e) => ({ ...e, file: path.join(dir, e.file) })));
    }
    write(
      path.join(teamDir, 'kustomization.yaml'),
      ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...appNames.map((a) => `- ${a}`)].join('\n') + '\n',
    );
  }
  const clusterDir = path.join(out, 'clusters', 'prod');
  fs.mkdirSync(clusterDir, { recursive: true });
  write(
    path.join(clusterDir, 'kustomization.yaml'),
    ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...teamNames.map((t) => `- ../../teams/${t}`)].join('\n') + '\n',
  );
  manifest.topRoots.push(clusterDir);
  manifest.files = files;
  fs.writeFileSync(path.join(out, 'bench-manifest.json'), JSON.stringify({ ...manifest, apps: undefined }, null, 1));
  return manifest;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const out = opt('out');
  if (!out) {
    console.error('Usage: node scripts/bench/generate.mjs --n N --out DIR [--seed S] [--broken-every K] [--dialect appmesh|gatewayapi|istio|mixed]');
    process.exit(2);
  }
  const m = generate({
    n: Number(opt('n', '100')),
    out: path.resolve(out),
    seed: Number(opt('seed', '42')),
    brokenEvery: Number(opt('broken-every', '20')),
    dialect: opt('dialect', 'appmesh'),
  });
  console.log(
    `${m.files} files, ${m.objects} objects, ${m.stageDirs.length} stage directories, ${m.expected.length} files with expected diagnostics under ${m.root}`,
  );
}

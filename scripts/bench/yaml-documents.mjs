// How long parsing a many-document YAML file takes when one document (or every document) holds what
// only the general parser reads: a block scalar. Not a test: it prints medians.
//   node scripts/bench/yaml-documents.mjs [DOCUMENTS] [RUNS] [OUT_DIR...]
// Each OUT_DIR is a `tsc -b` output (default out/); with several (an older build and this one), their
// runs alternate, so that both see the same load of the machine.
import { createRequire } from 'node:module';
import * as path from 'node:path';

const [documents = 2000, runs = 15] = process.argv.slice(2, 4).map(Number);
const outDirs = (process.argv.length > 4 ? process.argv.slice(4) : ['out']).map((dir) => path.resolve(dir));
const require = createRequire(import.meta.url);
const parsers = outDirs.map((dir) => require(path.join(dir, 'server/src/engine/yaml.js')).parseYaml);

const plainDocument = (i) => `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata:
  name: metal-v${i}
  namespace: prod
spec:
  podSelector:
    matchLabels:
      app: metal
      version: v${i}
  listeners:
    - portMapping:
        port: 9080
        protocol: http
  serviceDiscovery:
    dns:
      hostname: metal-v${i}.prod.svc.cluster.local
`;
const blockScalarDocument = (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
data:
  app.properties: |
    greeting=hello
    ---
    colour=blue
`;

const file = (slow) => Array.from({ length: documents }, (_, i) => (slow(i) ? blockScalarDocument(i) : plainDocument(i))).join('---\n');

/** The median time of each parser, in milliseconds. */
function medians(text) {
  const times = parsers.map(() => []);
  for (let run = 0; run < runs; run++) {
    parsers.forEach((parseYaml, i) => {
      // A fresh text each run (one space more at the end): parseYaml caches nothing this large anyway.
      const variant = text + ' '.repeat(run);
      const start = process.hrtime.bigint();
      const parsed = parseYaml(variant);
      times[i].push(Number(process.hrtime.bigint() - start) / 1e6);
      if (parsed.documents.length !== documents || parsed.syntaxErrors.length > 0) throw new Error('unexpected reading');
    });
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

const cases = [
  ['no block scalar', () => false],
  ['one block scalar (the middle document)', (i) => i === Math.floor(documents / 2)],
  ['one block scalar in every 10th document', (i) => i % 10 === 0],
  ['a block scalar in every document', () => true],
];
console.log(`${documents} documents, median of ${runs} runs (ms), columns: ${outDirs.map((dir) => path.relative('.', dir) || '.').join(', ')}`);
for (const [label, slow] of cases) {
  const text = file(slow);
  medians(text); // warm-up
  const figures = medians(text).map((ms) => ms.toFixed(1).padStart(8));
  console.log(`${label.padEnd(42)} ${(text.length / 1024).toFixed(0).padStart(5)} KiB ${figures.join(' ')}`);
}

// Derives the constraint data of the App Mesh CRDs and holds our schemas to it.
//
//   node scripts/schemas/appmesh-crds.mjs extract <crd.yaml…> --source "<repo>@<tag> <commit>" [--legacy]
//       reads CustomResourceDefinitions and writes their constraints (no prose) into
//       scripts/schemas/appmesh-crd-constraints.json, next to what is there for other versions.
//       --legacy: apiextensions.k8s.io/v1beta1 CRDs, which prune nothing and list fields only in part.
//   node scripts/schemas/appmesh-crds.mjs apply
//       writes the data's constraints into schemas/appmesh/ (descriptions untouched; a field we lack
//       is added without one, to be described in our words).
//   node scripts/schemas/appmesh-crds.mjs check
//       prints every difference between schemas/appmesh/ and that data; exits 1 if there is one.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const { flatten, flattenOurs, compare, KEYWORDS } = require('./constraints.cjs');
const DATA = path.join('scripts', 'schemas', 'appmesh-crd-constraints.json');

/** One line per field: small, and a new release's changes read as a diff of fields. */
function compactJson(data) {
  const kinds = Object.entries(data.kinds).map(([key, { source, complete, fields }]) => {
    const lines = Object.entries(fields).map(([field, constraints]) => `   ${JSON.stringify(field)}: ${JSON.stringify(constraints)}`);
    return `  ${JSON.stringify(key)}: {"source": ${JSON.stringify(source)}, "complete": ${complete}, "fields": {\n${lines.join(',\n')}\n  }}`;
  });
  return `{\n "kinds": {\n${kinds.join(',\n')}\n }\n}\n`;
}

const [command, ...rest] = process.argv.slice(2);
const option = (name) => {
  const at = rest.indexOf(name);
  return at < 0 ? undefined : rest.splice(at, 2)[1];
};

if (command === 'extract') {
  const source = option('--source');
  const legacy = rest.includes('--legacy');
  const files = rest.filter((arg) => arg !== '--legacy');
  if (!source || files.length === 0) throw new Error('extract needs CRD files and --source');
  const data = fs.existsSync(DATA) ? JSON.parse(fs.readFileSync(DATA, 'utf8')) : { kinds: {} };
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition' || crd.spec.group !== 'appmesh.k8s.aws') continue;
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        const schema = version.schema?.openAPIV3Schema ?? crd.spec.validation?.openAPIV3Schema;
        // apiextensions.k8s.io/v1beta1 prunes nothing unless told to (spec.preserveUnknownFields: false).
        const preserveEverywhere = legacy && crd.spec.preserveUnknownFields !== false;
        data.kinds[`${version.name}/${crd.spec.names.kind}`] = {
          source,
          complete: !legacy,
          fields: flatten(schema, { preserveEverywhere }),
        };
      }
    }
  }
  data.kinds = Object.fromEntries(Object.entries(data.kinds).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(DATA, compactJson(data));
  console.log(`wrote ${DATA}: ${Object.keys(data.kinds).join(', ')}`);
} else if (command === 'apply') {
  const data = JSON.parse(fs.readFileSync(DATA, 'utf8'));
  for (const [key, { fields }] of Object.entries(data.kinds)) {
    const [version, kind] = key.split('/');
    const file = path.join('schemas', 'appmesh', version, `${kind.toLowerCase()}.schema.json`);
    if (!fs.existsSync(file)) continue;
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    const resolve = (node) => {
      while (node.$ref)
        node = node.$ref
          .replace(/^#\//, '')
          .split('/')
          .reduce((at, k) => at[k], schema);
      return node;
    };
    const nodes = { '': schema };
    // Parents come before children in the data, as flatten() wrote them.
    for (const [field, constraints] of Object.entries(fields)) {
      let node = nodes[field];
      if (!node) {
        const [, parentPath, step] = /^(.*?)(\[\]|\{\}|\.?[^.[{]+)$/.exec(field);
        const parent = resolve(nodes[parentPath]);
        if (step === '[]') node = parent.items ??= {};
        else if (step === '{}') node = parent.additionalProperties = typeof parent.additionalProperties === 'object' ? parent.additionalProperties : {};
        else node = (parent.properties ??= {})[step.replace(/^\./, '')] ??= {};
      }
      nodes[field] = node;
      const target = resolve(node);
      for (const keyword of KEYWORDS) {
        if (field === '' && keyword === 'required') continue; // ours: apiVersion, kind and metadata pick and name the object
        if (keyword === 'type' && constraints.type === undefined && target.type !== undefined) continue;
        const same =
          ['enum', 'required'].includes(keyword) && JSON.stringify([...(target[keyword] ?? [])].map(String).sort()) === JSON.stringify(constraints[keyword]);
        if (same) continue; // keep our order: messages list the values as we wrote them
        if (constraints[keyword] === undefined) delete target[keyword];
        else target[keyword] = constraints[keyword];
      }
      if (constraints.preserveUnknownFields) target['x-kubernetes-preserve-unknown-fields'] = true;
      else delete target['x-kubernetes-preserve-unknown-fields'];
      if (target.type === 'object' && target.properties && target.additionalProperties === undefined) target.additionalProperties = false;
    }
    fs.writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  }
} else if (command === 'check') {
  const data = JSON.parse(fs.readFileSync(DATA, 'utf8'));
  let count = 0;
  for (const [key, { fields, complete }] of Object.entries(data.kinds)) {
    const [version, kind] = key.split('/');
    const file = path.join('schemas', 'appmesh', version, `${kind.toLowerCase()}.schema.json`);
    if (!fs.existsSync(file)) continue; // v1alpha1: served by the legacy controller, not checked by us
    for (const d of compare(fields, flattenOurs(JSON.parse(fs.readFileSync(file, 'utf8'))), { complete })) {
      console.log(`${key} ${d.path || '(root)'}: ${d.problem}`);
      count++;
    }
  }
  console.log(`${count} difference(s)`);
  process.exitCode = count > 0 ? 1 : 0;
} else {
  throw new Error('usage: appmesh-crds.mjs extract|check');
}

// Prints every x-kubernetes-validations (CEL) rule of the Gateway API standard-channel CRDs, with the
// schema path it sits at, so the checks in server/src/engine/dialects/gatewayapi/rules/validation/
// can be compared against the source. Usage:
//   node scripts/schemas/list-cel.mjs <gateway-api git dir> [tag] [crd-name-filter]
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

const [gitDir, tag = 'v1.6.1', filter = ''] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: list-cel.mjs <gateway-api git dir> [tag] [filter]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['-C', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const files = git('ls-tree', '--name-only', `${tag}:config/crd/standard/`)
  .split('\n')
  .filter((name) => name.endsWith('.yaml') && name.includes(filter));

function walk(schema, path, out) {
  if (!schema || typeof schema !== 'object') return;
  for (const rule of schema['x-kubernetes-validations'] ?? []) out.push({ path: path.join('.') || '(root)', ...rule });
  for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child, [...path, key], out);
  if (schema.items) walk(schema.items, [...path, '[]'], out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, [...path, '{}'], out);
}

for (const file of files) {
  const docs = parseAllDocuments(git('show', `${tag}:config/crd/standard/${file}`)).map((doc) => doc.toJS());
  // The safe-upgrades file holds a ValidatingAdmissionPolicy, not a CRD: only CRDs carry CEL rules here.
  for (const crd of docs.filter((doc) => doc?.kind === 'CustomResourceDefinition'))
    for (const version of crd.spec.versions) {
      const out = [];
      walk(version.schema?.openAPIV3Schema, [], out);
      console.log(`## ${crd.spec.names.kind} ${version.name} (served: ${version.served}) — ${out.length} rules`);
      for (const rule of out) {
        console.log(`- at ${rule.path}`);
        console.log(
          `  message: ${rule.message ?? ''}${rule.messageExpression ? ` messageExpression: ${rule.messageExpression}` : ''}${rule.fieldPath ? ` fieldPath: ${rule.fieldPath}` : ''}${rule.reason ? ` reason: ${rule.reason}` : ''}`,
        );
        console.log(`  rule: ${rule.rule.replace(/\s*\n\s*/g, ' ')}`);
      }
    }
}

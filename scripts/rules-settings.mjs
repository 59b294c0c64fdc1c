// Writes the properties of the `meshKustomize.rules` setting in package.json from the engine's rule
// list: one property per rule code, with the severities it accepts and the rule's default severity
// and summary, so that settings.json completes and explains rule codes. additionalProperties stays
// as it is: a code this version does not know (a setting written for another version) still works.
// Each option a rule declares (`Rule.options`) becomes a setting of its own, `meshKustomize.<key>`,
// with its type, default and description.
//
// Runs after `tsc -b` (it reads the compiled engine). package.json is written only when it changes.
// Nothing is written with `--check` (the exit code says whether package.json is current) or when the
// CI environment variable is set: CI checks what was committed, and test/unit/rules-settings.test.ts
// then fails on a rule added without regenerating.
//
// Usage: node scripts/rules-settings.mjs [--check] [path/to/package.json]
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ENGINE = path.join(REPO, 'out', 'server', 'src', 'engine', 'index.js');
const SETTING = 'meshKustomize.rules';
const SEVERITY_SETTINGS = ['error', 'warning', 'information', 'hint', 'off'];

/** The setting's properties, sorted by code so that moving a rule in the list changes nothing. */
function ruleProperties(rules) {
  const properties = {};
  for (const rule of [...rules].sort((a, b) => a.code.localeCompare(b.code))) {
    properties[rule.code] = {
      type: 'string',
      enum: SEVERITY_SETTINGS,
      markdownDescription: `Default: \`${rule.defaultSeverity}\`. ${rule.summary}`,
    };
  }
  return properties;
}

/** An option's setting: a switch, a string of a few values (VS Code offers them as a list), or a string of a pattern. */
function optionSetting(option) {
  const values = option.enum ? { enum: [...option.enum] } : option.pattern ? { pattern: option.pattern } : {};
  return { type: option.type, ...values, scope: 'resource', default: option.default, description: option.description };
}

/** package.json's text with the setting's properties replaced, formatted as npm writes it. */
function withRuleProperties(packageText, rules) {
  const manifest = JSON.parse(packageText);
  const setting = manifest.contributes?.configuration?.properties?.[SETTING];
  if (!setting) throw new Error(`package.json has no contributes.configuration.properties["${SETTING}"]`);
  // Rebuilt key by key so that `properties` sits just before `additionalProperties`, as a reader expects.
  const rebuilt = {};
  for (const [key, value] of Object.entries(setting)) {
    if (key === 'properties') continue;
    if (key === 'additionalProperties') rebuilt.properties = ruleProperties(rules);
    rebuilt[key] = value;
  }
  rebuilt.properties ??= ruleProperties(rules);
  const settings = manifest.contributes.configuration.properties;
  settings[SETTING] = rebuilt;
  // A setting already there keeps its place; a new one goes after the rules setting.
  for (const option of rules.flatMap((rule) => rule.options ?? [])) {
    settings[`meshKustomize.${option.key}`] = optionSetting(option);
  }
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function main(argv) {
  const check = argv.includes('--check');
  const packagePath = path.resolve(argv.find((a) => !a.startsWith('--')) ?? path.join(REPO, 'package.json'));
  if (!fs.existsSync(ENGINE)) throw new Error(`${path.relative(REPO, ENGINE)} is missing: run \`tsc -b\` first`);
  const { allRules } = createRequire(import.meta.url)(ENGINE);
  const current = fs.readFileSync(packagePath, 'utf8');
  const generated = withRuleProperties(current, allRules);
  if (generated === current) return 0;
  const name = path.relative(process.cwd(), packagePath) || packagePath;
  if (check || process.env.CI) {
    console.error(`${name}: the properties of ${SETTING} or the rules' option settings do not match the rule list; run \`npm run build\` and commit ${name}.`);
    return check ? 1 : 0;
  }
  fs.writeFileSync(packagePath, generated);
  console.log(`${name}: ${SETTING} and the rules' options written for ${allRules.length} rules.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

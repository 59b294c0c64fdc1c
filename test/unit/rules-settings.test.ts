import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRules, isOptionValue } from '../../server/src/engine';
import { REPO } from '../support/cases';

const PACKAGE_JSON = path.join(REPO, 'package.json');
const GENERATOR = path.join(REPO, 'scripts', 'rules-settings.mjs');
const SEVERITY_SETTINGS = ['error', 'warning', 'information', 'hint', 'off'];

interface RulesSetting {
  properties?: Record<string, { type: string; enum: string[]; markdownDescription: string }>;
  additionalProperties: { type: string; enum: string[] };
}

function rulesSetting(packageText: string): RulesSetting {
  const manifest = JSON.parse(packageText) as { contributes: { configuration: { properties: Record<string, RulesSetting> } } };
  return manifest.contributes.configuration.properties['meshKustomize.rules'];
}

/** Runs the generator the way `npm run build` does outside CI. */
function generate(args: string[]): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.CI;
  const result = spawnSync(process.execPath, [GENERATOR, ...args], { encoding: 'utf8', env });
  return { status: result.status, output: result.stdout + result.stderr };
}

test('meshKustomize.rules in package.json offers every rule code, with its severities, default and summary', () => {
  const setting = rulesSetting(fs.readFileSync(PACKAGE_JSON, 'utf8'));
  const stale = 'package.json is stale: run `npm run build` (scripts/rules-settings.mjs) and commit package.json';
  assert.deepEqual(Object.keys(setting.properties ?? {}), allRules.map((r) => r.code).sort(), `one property per rule code, sorted; ${stale}`);
  for (const rule of allRules) {
    assert.deepEqual(
      setting.properties?.[rule.code],
      { type: 'string', enum: SEVERITY_SETTINGS, markdownDescription: `Default: \`${rule.defaultSeverity}\`. ${rule.summary}` },
      `${rule.code}; ${stale}`,
    );
  }
  assert.deepEqual(setting.additionalProperties, { type: 'string', enum: SEVERITY_SETTINGS }, 'codes of other versions stay allowed');
});

test('each option a rule declares is a setting of its own, with its type, default and description', () => {
  const manifest = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
  const options = allRules.flatMap((rule) => rule.options ?? []);
  assert.ok(
    options.some((o) => o.key === 'weightTotalMustBe100'),
    'weight-total-not-100 declares its option',
  );
  assert.ok(
    options.some((o) => o.key === 'gatewayApi.profile' && o.type === 'string'),
    'the Lattice rules declare the Gateway API profile, a string option',
  );
  for (const option of options) {
    const values = 'enum' in option ? { enum: [...option.enum] } : 'pattern' in option ? { pattern: option.pattern } : {};
    assert.ok(isOptionValue(option, option.default), `meshKustomize.${option.key}: the default is one of the values`);
    assert.deepEqual(
      manifest.contributes.configuration.properties[`meshKustomize.${option.key}`],
      { type: option.type, ...values, scope: 'resource', default: option.default, description: option.description },
      `meshKustomize.${option.key}; package.json is stale: run \`npm run build\` and commit package.json`,
    );
  }
});

test('the generator rewrites a stale package.json, only then, and --check tells stale from current', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-rules-settings-'));
  try {
    const current = fs.readFileSync(PACKAGE_JSON, 'utf8');
    const copy = path.join(dir, 'package.json');
    const manifest = JSON.parse(current) as { contributes: { configuration: { properties: Record<string, RulesSetting> } } };
    const setting = manifest.contributes.configuration.properties['meshKustomize.rules'];
    delete setting.properties?.[allRules[0].code];
    setting.properties!['no-such-rule'] = { type: 'string', enum: ['off'], markdownDescription: 'gone' };
    fs.writeFileSync(copy, `${JSON.stringify(manifest, null, 2)}\n`);

    assert.equal(generate(['--check', copy]).status, 1, 'a stale copy fails the check');
    const written = generate([copy]);
    assert.equal(written.status, 0, written.output);
    assert.match(written.output, /written for \d+ rules/);
    assert.equal(fs.readFileSync(copy, 'utf8'), current, 'the rewritten copy equals package.json byte for byte');

    const again = generate([copy]);
    assert.equal(again.status, 0, again.output);
    assert.equal(again.output, '', 'a current package.json is left alone');
    assert.equal(generate(['--check', copy]).status, 0, 'a current copy passes the check');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

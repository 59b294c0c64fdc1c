import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { ErrorObject } from 'ajv';
import { parseYaml } from '../../server/src/engine/yaml';
import { precompiledDirectory, schemaFileFor, SchemaStore } from '../../server/src/engine/schemas';
import { fuzzCases, fuzzSeed, mutate, Rng } from '../support/fuzz';
import { REPO } from '../support/cases';

/**
 * The build compiles every schema ahead of time (dist/schemas). The server uses those validators;
 * they must report exactly what the same schemas compiled at run time report, parent schemas
 * included (quick fixes read their property names), on every object of the fixtures and examples
 * and on seeded mutations of them.
 */
const precompiled = precompiledDirectory();
const atRunTime = new SchemaStore(undefined, null);
const ahead = new SchemaStore();

function yamlFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? yamlFilesUnder(full) : /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

const picture = (errors: ErrorObject[]): unknown[] =>
  errors.map((e) => ({
    keyword: e.keyword,
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    params: e.params,
    message: e.message,
    parentSchema: e.parentSchema,
    data: e.data,
  }));

describe('schemas compiled ahead of time', () => {
  test('the build wrote a validator for every schema', () => {
    assert.ok(precompiled, 'dist/schemas exists (npm run build)');
    const schemas = fs
      .readdirSync(path.join(REPO, 'schemas'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json'));
    assert.ok(schemas.length > 5);
    assert.deepEqual(
      schemas.filter((f) => !fs.existsSync(path.join(precompiled, f.replace(/\.json$/, '.js')))),
      [],
    );
  });

  test('report what run-time compiled validators report', () => {
    const seed = fuzzSeed();
    const texts = [...yamlFilesUnder(path.join(REPO, 'test', 'fixtures')), ...yamlFilesUnder(path.join(REPO, 'examples'))].map((f) =>
      fs.readFileSync(f, 'utf8'),
    );
    for (const index of fuzzCases(600)) texts.push(mutate(texts[index % texts.length], Rng.forCase(seed, index, 13)).text);
    let compared = 0;
    let failing = 0;
    for (const text of texts) {
      for (const value of parseYaml(text).values) {
        if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
        const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
        const schema = schemaFileFor(typeof apiVersion === 'string' ? apiVersion : '', typeof kind === 'string' ? kind : '');
        if (!schema) continue;
        const expected = picture(atRunTime.validate(schema, value));
        assert.deepEqual(picture(ahead.validate(schema, value)), expected, `${schema}: ${JSON.stringify(value).slice(0, 300)}`);
        compared++;
        if (expected.length > 0) failing++;
      }
    }
    assert.ok(compared > 200 && failing > 20, `objects compared: ${compared}, with errors: ${failing}`);
    // The store used the build's modules, not a second run-time compilation.
    assert.ok(
      Object.keys(require.cache).some((loaded) => loaded.startsWith(precompiled! + path.sep)),
      'a dist/schemas module was loaded',
    );
  });
});

import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dialectSchemaFile } from './dialects';

/** A folder shipped with the product (`schemas/`, `docs/`), found from wherever the code runs: sources, tests or bundle. */
export function packageDirectory(name: string, marker: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(path.join(candidate, marker))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name}/ not found above ${__dirname}`);
  }
}

/** Which schema file describes an object, relative to `schemas/`. */
export function schemaFileFor(apiVersion: string, kind: string): string | undefined {
  if (kind === 'Kustomization' || kind === 'Component') {
    return apiVersion === '' || apiVersion.startsWith('kustomize.config.k8s.io/') ? 'kustomization.schema.json' : undefined;
  }
  return dialectSchemaFile(apiVersion, kind);
}

/** How schemas are compiled, at build time (scripts/bundle.mjs) and at run time alike: every error, with its data and sub-schema. */
export const SCHEMA_COMPILE_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

/** Where the build puts each schema's validator, compiled ahead of time: `dist/schemas/<path>.js`. */
export function precompiledDirectory(): string | undefined {
  try {
    return path.join(packageDirectory('dist', path.join('schemas', 'kustomization.schema.js')), 'schemas');
  } catch {
    return undefined;
  }
}

/**
 * Each schema's validator, loaded on first use: the one the build compiled ahead of time when there
 * is one (loading takes a few milliseconds; compiling a schema takes 10–70 ms, which the first
 * diagnostics of a session would wait for), else compiled here. Shared by every file and build.
 */
export class SchemaStore {
  // Unoptimized code generation halves compile time at run time; objects are small.
  private readonly ajv = new Ajv({ ...SCHEMA_COMPILE_OPTIONS, code: { optimize: false } });
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(
    private readonly directory: string = packageDirectory('schemas', 'kustomization.schema.json'),
    /** Null to compile every schema here. */
    private readonly precompiled: string | null = precompiledDirectory() ?? null,
  ) {}

  validator(relativePath: string): ValidateFunction | undefined {
    let validate = this.compiled.get(relativePath);
    if (validate === undefined) {
      const module = this.precompiled && path.join(this.precompiled, relativePath.replace(/\.json$/, '.js'));
      const file = path.join(this.directory, relativePath);
      // A module path known only at run time: the build's precompiled validators are plain CommonJS files.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      if (module && fs.existsSync(module)) validate = require(module) as ValidateFunction;
      else validate = fs.existsSync(file) ? this.ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8'))) : null;
      this.compiled.set(relativePath, validate);
    }
    return validate ?? undefined;
  }

  /** Every violation of the schema, with the offending data and sub-schema (ajv's `verbose`). */
  validate(relativePath: string, value: unknown): ErrorObject[] {
    const validate = this.validator(relativePath);
    if (!validate || validate(value)) return [];
    return validate.errors ?? [];
  }
}

import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  const match = /^appmesh\.k8s\.aws\/(v1beta[12])$/.exec(apiVersion);
  // The kind becomes part of a path: only a plain name may, so that no file outside schemas/ is ever read.
  return match && /^[A-Za-z][A-Za-z0-9]*$/.test(kind) ? `appmesh/${match[1]}/${kind.toLowerCase()}.schema.json` : undefined;
}

/** Compiles each schema on first use; shared by every file and build. */
export class SchemaStore {
  // Unoptimized code generation halves compile time (the first validation waits for it); objects are small.
  private readonly ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { optimize: false } });
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(private readonly directory: string = packageDirectory('schemas', 'kustomization.schema.json')) {}

  validator(relativePath: string): ValidateFunction | undefined {
    let validate = this.compiled.get(relativePath);
    if (validate === undefined) {
      const file = path.join(this.directory, relativePath);
      validate = fs.existsSync(file) ? this.ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8'))) : null;
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

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRecord } from '../manifest';
import { packageDirectory } from '../schemas';

/**
 * Reads the JSON Schemas of `schemas/` for authoring: the description of a key, the keys a map may
 * have, the values an enum allows. Local `$ref`s are followed; `allOf`/`anyOf`/`oneOf` and
 * `if`/`then`/`else` branches all count, since any of them may apply to what is being typed.
 */
export type SchemaPathSegment = string | number;

type Schema = Record<string, unknown>;

/** A sub-schema reached by a path, with the description written where it is used (beside a `$ref`). */
interface Candidate {
  schema: Schema;
  description: string | undefined;
  deprecationMessage: string | undefined;
}

export interface SchemaProperty {
  key: string;
  description: string | undefined;
  deprecationMessage: string | undefined;
  /** The JSON type(s) of the value: 'object', 'array', 'string'… */
  types: string[];
  required: boolean;
}

export class SchemaInfo {
  private readonly loaded = new Map<string, Schema | null>();

  constructor(private readonly directory: string = packageDirectory('schemas', 'kustomization.schema.json')) {}

  /** The schema files of a folder of `schemas/` (`appmesh/v1beta2`, say), relative to `schemas/`. */
  schemaFiles(folder: string): string[] {
    try {
      return fs
        .readdirSync(path.join(this.directory, folder))
        .filter((name) => name.endsWith('.schema.json'))
        .map((name) => `${folder}/${name}`)
        .sort();
    } catch {
      return [];
    }
  }

  /** The kind a schema file describes, from its `kind` const. */
  kindOf(relativePath: string): string | undefined {
    const root = this.load(relativePath);
    const kind = root && isRecord(root.properties) && isRecord(root.properties.kind) ? root.properties.kind.const : undefined;
    return typeof kind === 'string' ? kind : undefined;
  }

  /** Description of the key at the end of `keyPath` (its parent's property schema). */
  describeKey(relativePath: string, keyPath: readonly SchemaPathSegment[]): SchemaProperty | undefined {
    if (keyPath.length === 0) return undefined;
    const key = keyPath[keyPath.length - 1];
    if (typeof key !== 'string') return undefined;
    return this.properties(relativePath, keyPath.slice(0, -1)).find((p) => p.key === key) ?? this.viaAdditional(relativePath, keyPath);
  }

  /** The keys a map at `mapPath` may hold, in the schema's order. */
  properties(relativePath: string, mapPath: readonly SchemaPathSegment[]): SchemaProperty[] {
    const root = this.load(relativePath);
    if (!root) return [];
    const found = new Map<string, SchemaProperty>();
    for (const candidate of this.at(root, mapPath)) {
      const required = new Set(Array.isArray(candidate.schema.required) ? candidate.schema.required.map(String) : []);
      const properties = isRecord(candidate.schema.properties) ? candidate.schema.properties : {};
      for (const [key, raw] of Object.entries(properties)) {
        if (!isRecord(raw)) continue;
        const resolved = this.expand(root, raw);
        const described = {
          key,
          description: firstString(raw.description, ...resolved.map((c) => c.description)),
          deprecationMessage: firstString(raw.deprecationMessage, ...resolved.map((c) => c.deprecationMessage)),
          types: [...new Set(resolved.flatMap((c) => typesOf(c.schema)))],
          required: required.has(key),
        };
        const known = found.get(key);
        if (!known) found.set(key, described);
        else {
          known.description ??= described.description;
          known.deprecationMessage ??= described.deprecationMessage;
          known.types = [...new Set([...known.types, ...described.types])];
          known.required ||= described.required;
        }
      }
    }
    return [...found.values()];
  }

  /** The values the schema allows at `valuePath` (enum or const), when it lists them. */
  values(relativePath: string, valuePath: readonly SchemaPathSegment[]): { value: unknown; description: string | undefined }[] {
    const root = this.load(relativePath);
    if (!root) return [];
    const values: { value: unknown; description: string | undefined }[] = [];
    const seen = new Set<string>();
    for (const candidate of this.at(root, valuePath)) {
      const listed = Array.isArray(candidate.schema.enum) ? candidate.schema.enum : 'const' in candidate.schema ? [candidate.schema.const] : [];
      for (const value of listed) {
        const key = JSON.stringify(value);
        if (seen.has(key)) continue;
        seen.add(key);
        values.push({ value, description: candidate.description });
      }
    }
    return values;
  }

  private viaAdditional(relativePath: string, keyPath: readonly SchemaPathSegment[]): SchemaProperty | undefined {
    const root = this.load(relativePath);
    if (!root) return undefined;
    const candidates = this.at(root, keyPath);
    const description = firstString(...candidates.map((c) => c.description));
    if (!description) return undefined;
    return {
      key: String(keyPath[keyPath.length - 1]),
      description,
      deprecationMessage: firstString(...candidates.map((c) => c.deprecationMessage)),
      types: [...new Set(candidates.flatMap((c) => typesOf(c.schema)))],
      required: false,
    };
  }

  /** Every sub-schema that may apply at a path (numbers and '[]' step into arrays). */
  private at(root: Schema, schemaPath: readonly SchemaPathSegment[]): Candidate[] {
    let current = this.expand(root, root);
    for (const segment of schemaPath) {
      const next: Candidate[] = [];
      for (const candidate of current) {
        const schema = candidate.schema;
        if (typeof segment === 'number' || segment === '[]') {
          const items = Array.isArray(schema.items) ? schema.items[typeof segment === 'number' ? segment : 0] : schema.items;
          if (isRecord(items)) next.push(...this.expand(root, items));
          continue;
        }
        const properties = isRecord(schema.properties) ? schema.properties : {};
        if (isRecord(properties[segment])) {
          next.push(...this.expand(root, properties[segment] as Schema));
          continue;
        }
        let matched = false;
        if (isRecord(schema.patternProperties)) {
          for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
            if (isRecord(sub) && safeTest(pattern, segment)) {
              next.push(...this.expand(root, sub));
              matched = true;
            }
          }
        }
        if (!matched && isRecord(schema.additionalProperties)) next.push(...this.expand(root, schema.additionalProperties));
      }
      current = next;
      if (current.length === 0) break;
    }
    return current;
  }

  /** A schema with its `$ref` followed and its combinator branches listed, each as a candidate. */
  private expand(root: Schema, schema: Schema, depth = 0): Candidate[] {
    if (depth > 20) return [];
    const own: Candidate = {
      schema,
      description: typeof schema.description === 'string' ? schema.description : undefined,
      deprecationMessage: typeof schema.deprecationMessage === 'string' ? schema.deprecationMessage : undefined,
    };
    const result: Candidate[] = [];
    if (typeof schema.$ref === 'string') {
      const target = resolvePointer(root, schema.$ref);
      for (const resolved of target ? this.expand(root, target, depth + 1) : []) {
        result.push({
          schema: resolved.schema,
          description: own.description ?? resolved.description,
          deprecationMessage: own.deprecationMessage ?? resolved.deprecationMessage,
        });
      }
    } else {
      result.push(own);
    }
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const branches = schema[combinator];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) if (isRecord(branch)) result.push(...this.expand(root, branch, depth + 1));
    }
    for (const conditional of ['then', 'else']) {
      const branch = schema[conditional];
      if (isRecord(branch)) result.push(...this.expand(root, branch, depth + 1));
    }
    return result;
  }

  private load(relativePath: string): Schema | undefined {
    let schema = this.loaded.get(relativePath);
    if (schema === undefined) {
      try {
        const parsed: unknown = JSON.parse(fs.readFileSync(path.join(this.directory, relativePath), 'utf8'));
        schema = isRecord(parsed) ? parsed : null;
      } catch {
        schema = null;
      }
      this.loaded.set(relativePath, schema);
    }
    return schema ?? undefined;
  }
}

function resolvePointer(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let current: unknown = root;
  for (const raw of ref
    .slice(1)
    .split('/')
    .filter((s) => s !== '')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return isRecord(current) ? current : undefined;
}

function typesOf(schema: Schema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (isRecord(schema.properties)) return ['object'];
  if (schema.items !== undefined) return ['array'];
  return [];
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string');
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

let shared: SchemaInfo | undefined;

/** One reader of `schemas/` per process. */
export function schemaInfo(): SchemaInfo {
  return (shared ??= new SchemaInfo());
}

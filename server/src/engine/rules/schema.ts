import { ErrorObject } from 'ajv';
import { dialectOf, splitsOf } from '../dialects';
import { clearlyClosest, closest } from '../closest';
import { isRecord } from '../manifest';
import { schemaFileFor, SchemaStore } from '../schemas';
import { WorkspaceFile } from '../workspace';
import { Range } from '../text';
import { locate, PathSegment, YamlDocument } from '../yaml';
import { CodeFix } from '../fixes';
import { Finding, FileRule } from './rule';

let store: SchemaStore | undefined;

/** What a schema finding's "did you mean" fixes need. */
export interface SchemaData {
  /** The unknown key, for renames. */
  key?: string;
  /** The value written, for values not allowed. */
  typed?: string;
  allowed?: string[];
  suggestions: string[];
  /** The key is one the API renamed (v1beta1 → v1beta2, say), not a typo. */
  renamedByApi?: boolean;
  /** A name that became a reference: the value, to rewrite as `{ name: … }`. */
  reference?: { range: Range; name: string };
}

export const schema: FileRule<SchemaData> = {
  code: 'schema',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A kustomization or mesh object does not match its JSON Schema (unknown key, wrong type, value not allowed).',
  check(file) {
    store ??= new SchemaStore();
    const findings: Finding<SchemaData>[] = [];
    const kustomization = file.kustomization;
    if (kustomization) {
      const value = file.parsed.values[0];
      const kind = isRecord(value) && typeof value.kind === 'string' ? value.kind : 'Kustomization';
      const apiVersion = isRecord(value) && typeof value.apiVersion === 'string' ? value.apiVersion : '';
      const schemaFile = schemaFileFor(apiVersion, kind);
      const doc = file.parsed.documents[0];
      if (schemaFile && isRecord(value) && doc && !doc.hasErrors) {
        findings.push(...toFindings(file, doc, store.validate(schemaFile, value), this.code));
      }
      return findings;
    }
    const splits = splitsOf(file);
    for (const object of file.objects) {
      const schemaFile = schemaFileFor(object.apiVersion, object.kind);
      if (!schemaFile) continue;
      // Target counts are the traffic rules' to report (too-many-targets), with the API's own limit.
      const targetLists = new Set(splits.filter((s) => s.object === object).flatMap((s) => s.routes.map((r) => pointerOf(r.targetsPath))));
      const errors = store.validate(schemaFile, withoutNullFields(object.value)).filter((e) => !(e.keyword === 'maxItems' && targetLists.has(e.instancePath)));
      findings.push(...toFindings(file, object.doc, errors, this.code, object.apiVersion));
    }
    return findings;
  },
  fixes: schemaFixes,
};

/**
 * The object as the API server validates it: a field whose value is null (`spec:` with only a comment
 * under it) is pruned first, since no field of the mesh APIs is nullable. The same object when it has none.
 */
export function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const pruned = withoutNullFields(item);
      if (pruned !== item) (copy ??= [...value])[index] = pruned;
    });
    return copy ?? value;
  }
  if (!isRecord(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    if (item === null) {
      copy ??= { ...value };
      delete copy[key];
      continue;
    }
    const pruned = withoutNullFields(item);
    if (pruned !== item) (copy ??= { ...value })[key] = pruned;
  }
  return copy ?? value;
}

/** The "did you mean" fixes of `schema` and `field-not-in-api` findings. */
export function schemaFixes(finding: Finding<SchemaData>): CodeFix[] {
  const suggestions = finding.data?.suggestions ?? [];
  const renaming = finding.data?.key !== undefined;
  // A field the API renamed also changed its value (a name became a reference): the rename is a start, not a fix.
  const clear = !finding.data?.renamedByApi && clearlyClosest(finding.data?.key ?? finding.data?.typed ?? '', suggestions);
  const reference = finding.data?.reference;
  if (reference) {
    // `virtualServiceName: metal` becomes `virtualServiceRef: { name: metal }`: the same object, referenced the v1beta2 way.
    const range = { start: finding.range.start, end: reference.range.end };
    const newText = `${suggestions[0]}: { name: ${reference.name} }`;
    return [{ title: `Change to \`${newText}\``, isPreferred: true, safe: false, changes: [{ path: finding.path, edits: [{ range, newText }] }] }];
  }
  return suggestions.map((suggestion, index) => ({
    title: renaming ? `Rename to \`${suggestion}\`` : `Change to \`${suggestion}\``,
    isPreferred: clear && index === 0,
    safe: clear && index === 0,
    changes: [{ path: finding.path, edits: [{ range: finding.range, newText: suggestion }] }],
  }));
}

/** Findings of one object's schema errors; an unknown key where the CRD keeps unknown keys is a `field-not-in-api` warning. */
function toFindings(file: WorkspaceFile, doc: YamlDocument, errors: ErrorObject[], code: string, apiVersion = ''): Finding<SchemaData>[] {
  const findings: Finding<SchemaData>[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const exclusive = exclusiveKeys(error);
    if (exclusive) {
      // Istio's CRDs say "one of these fields" with a oneOf of one `required` per field: name them.
      const path = pointerToPath(error.instancePath);
      const range = locate(doc, file.parsed.lines, [...path, exclusive[exclusive.length - 1]], 'key');
      const listed = exclusive.map((key) => `\`${key}\``).join(' and ');
      findings.push({ code, path: file.path, range, message: `${listed} cannot both be set here: the API takes only one of them.`, data: { suggestions: [] } });
      continue;
    }
    if (!reportable(error)) continue;
    const path = pointerToPath(error.instancePath);
    const described = describe(error, path, apiVersion);
    if (!described) continue;
    const range = locate(doc, file.parsed.lines, described.path, described.at);
    if (described.data?.renamedByApi && /Ref$/.test(described.data.suggestions[0] ?? '')) {
      // A name that v1beta2 turned into a reference: the fix needs the value, which must be a plain name.
      const value = error.data !== null && typeof error.data === 'object' ? (error.data as Record<string, unknown>)[String(described.data.key)] : undefined;
      if (typeof value === 'string' && /^[a-z0-9.-]+$/.test(value)) {
        described.data.reference = { range: locate(doc, file.parsed.lines, described.path, 'value'), name: value };
      } else described.data.suggestions = [];
    }
    const key = `${range.start.line}:${range.start.character}:${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const kept =
      error.keyword === 'additionalProperties' && isRecord(error.parentSchema) && error.parentSchema['x-kubernetes-preserve-unknown-fields'] === true;
    const api = dialectOf({ apiVersion })?.label;
    const message = kept ? described.message.replace(/^Unknown key/, `Key not in the ${api ?? "object's"} API:`) + KEPT_NOTE : described.message;
    findings.push({ code: kept ? 'field-not-in-api' : code, path: file.path, range, message, data: described.data });
  }
  return findings;
}

const KEPT_NOTE = ' The cluster keeps it, and the controller ignores it.';

/** The fields of which a oneOf allows one and more than one is set, when each branch requires just one field. */
function exclusiveKeys(error: ErrorObject): string[] | undefined {
  if (error.keyword !== 'oneOf' || !Array.isArray(error.schema)) return undefined;
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  if (!Array.isArray(passing) || passing.length < 2) return undefined;
  const branches = error.schema as unknown[];
  const keys = passing.map((index: unknown) => {
    const branch = typeof index === 'number' ? branches[index] : undefined;
    return isRecord(branch) && Object.keys(branch).length === 1 && Array.isArray(branch.required) && branch.required.length === 1
      ? branch.required[0]
      : undefined;
  });
  return keys.every((key): key is string => typeof key === 'string') ? keys : undefined;
}

/** Errors other rules report better, placeholders, and the umbrella errors of schema combinators are left out. */
function reportable(error: ErrorObject): boolean {
  if (typeof error.data === 'string' && /\$\{[^}]*\}|\$\([^)]*\)/.test(error.data)) return false;
  if (/\/weight$/.test(error.instancePath) && (error.keyword === 'minimum' || error.keyword === 'maximum')) return false;
  return !['if', 'then', 'else', 'oneOf', 'anyOf', 'not'].includes(error.keyword);
}

/** The JSON pointer ajv gives an instance at that path. */
function pointerOf(path: PathSegment[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function label(path: PathSegment[]): string {
  const last = [...path].reverse().find((segment) => typeof segment === 'string');
  return last === undefined ? 'The document' : `\`${last}\``;
}

interface Described {
  path: PathSegment[];
  at: 'key' | 'value';
  message: string;
  data?: SchemaData;
}

function describe(error: ErrorObject, path: PathSegment[], apiVersion: string): Described | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = isRecord(error.parentSchema) && isRecord(error.parentSchema.properties) ? Object.keys(error.parentSchema.properties) : [];
      const where = path.length > 0 ? ` in ${label(path)}` : '';
      const rename = dialectOf({ apiVersion })?.renamedKey(apiVersion, key);
      if (rename && known.includes(rename.renamed)) {
        const suggestions = rename.rename ? [rename.renamed] : [];
        const message = `Unknown key \`${key}\`${where}: v1beta1's \`${key}\` is \`${rename.renamed}\` in v1beta2, ${rename.note}.`;
        return { path: [...path, key], at: 'key', message, data: { key, suggestions, renamedByApi: true } };
      }
      const suggestions = closest(key, known);
      const hint = suggestions.length > 0 ? `; did you mean \`${suggestions[0]}\`?` : '.';
      return { path: [...path, key], at: 'key', message: `Unknown key \`${key}\`${where}${hint}`, data: { key, suggestions } };
    }
    case 'required':
      return { path, at: 'key', message: `${label(path)} is missing the required key \`${String(params.missingProperty)}\`.` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const typed = String(error.data);
      return {
        path,
        at: 'value',
        message: `\`${typed}\` is not allowed for ${label(path)}; expected one of: ${allowed.join(', ')}.`,
        data: { typed, allowed, suggestions: closest(typed, allowed) },
      };
    }
    case 'const':
      return { path, at: 'value', message: `${label(path)} must be \`${String(params.allowedValue)}\`.` };
    case 'type':
      return { path, at: 'value', message: `${label(path)} must be ${article(String(params.type))}.` };
    default:
      return { path, at: 'value', message: `${label(path)} ${error.message ?? 'is not valid'}.` };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

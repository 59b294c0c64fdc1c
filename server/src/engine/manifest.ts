import { LineIndex } from './text';
import { ParsedYaml, YamlDocument } from './yaml';

/** A Kubernetes object as written in one document of a file, before any kustomize transformation. */
export interface ManifestObject {
  path: string;
  docIndex: number;
  doc: YamlDocument;
  /** Line index of the whole file, for ranges of the document's nodes. */
  lines: LineIndex;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  value: Record<string, unknown>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Objects of every document that has a kind. Empty and comment-only documents are skipped, and so
 * are documents with syntax errors: what they would define is unknown, and guessing breeds false alarms.
 */
export function manifestObjects(path: string, parsed: ParsedYaml): ManifestObject[] {
  const objects: ManifestObject[] = [];
  parsed.values.forEach((value, docIndex) => {
    if (parsed.documents[docIndex].hasErrors) return;
    if (!isRecord(value) || typeof value.kind !== 'string') return;
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    objects.push({
      path,
      docIndex,
      doc: parsed.documents[docIndex],
      lines: parsed.lines,
      apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
      kind: value.kind,
      name: metadata.name === undefined || metadata.name === null ? '' : String(metadata.name),
      namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
      value,
    });
  });
  return objects;
}

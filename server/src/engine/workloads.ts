import { isRecord } from './manifest';

/** What a workload check needs of an object: its kind, API and plain value. */
export interface ObjectValue {
  apiVersion: string;
  kind: string;
  value: Record<string, unknown>;
}

/**
 * Where each workload kind keeps the labels its pods get, and the API groups that serve it: a
 * Service's selector picks pods by these labels, so they decide whether it has endpoints.
 */
const POD_LABELS: Readonly<Record<string, { groups: readonly string[]; path: readonly string[] }>> = {
  Deployment: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'metadata', 'labels'] },
  StatefulSet: { groups: ['apps'], path: ['spec', 'template', 'metadata', 'labels'] },
  DaemonSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'metadata', 'labels'] },
  ReplicaSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'metadata', 'labels'] },
  ReplicationController: { groups: [''], path: ['spec', 'template', 'metadata', 'labels'] },
  Job: { groups: ['batch'], path: ['spec', 'template', 'metadata', 'labels'] },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'] },
  Pod: { groups: [''], path: ['metadata', 'labels'] },
};

/** A label map as Kubernetes reads it: string keys to scalar values, compared as text. */
export type Labels = ReadonlyMap<string, string>;

function labelsAt(value: unknown): Labels | undefined {
  if (!isRecord(value)) return undefined;
  const labels = new Map<string, string>();
  for (const [key, label] of Object.entries(value)) {
    if (label === null || typeof label === 'object') return undefined;
    labels.set(key, String(label));
  }
  return labels;
}

/** The labels of the pods a workload runs (a Pod's own), or undefined when the object runs no pods or they cannot be read. */
export function podLabelsOf(object: ObjectValue): Labels | undefined {
  const where = POD_LABELS[object.kind];
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  if (!where || !where.groups.includes(group)) return undefined;
  let value: unknown = object.value;
  for (const key of where.path) value = isRecord(value) ? value[key] : undefined;
  return labelsAt(value) ?? new Map();
}

/** Whether the object is a workload whose pods a Service could select. */
export function runsPods(object: ObjectValue): boolean {
  return podLabelsOf(object) !== undefined;
}

/**
 * A core Service's pod selector; undefined when it has none (or an empty one): its endpoints are
 * then managed by hand (or it is an ExternalName), and no workload is expected to match.
 */
export function serviceSelectorOf(object: ObjectValue): Labels | undefined {
  if (object.kind !== 'Service' || object.apiVersion !== 'v1' || !isRecord(object.value.spec)) return undefined;
  const selector = labelsAt(object.value.spec.selector);
  return selector && selector.size > 0 ? selector : undefined;
}

/** Whether pods with these labels are selected: every pair of the selector is among them. */
export function selects(selector: Labels, labels: Labels): boolean {
  for (const [key, value] of selector) if (labels.get(key) !== value) return false;
  return true;
}

/** `app=metal, version=v2`: a selector as people read it. */
export function formatLabels(labels: Labels): string {
  return [...labels].map(([key, value]) => `${key}=${value}`).join(', ');
}

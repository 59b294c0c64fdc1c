import { Dialect, ObjectRole, schemaFileIn } from '../dialect';
import { ManifestObject } from '../manifest';
import { ServiceBinding, TrafficSplit } from '../traffic';
import type { WorkspaceFile } from '../workspace';
import { appMeshDialect } from './appmesh';

/** Every mesh API the engine reads. A new dialect is a folder beside appmesh/ and a line here. */
export const dialects: readonly Dialect[] = [appMeshDialect];

const splitCache = new WeakMap<WorkspaceFile, TrafficSplit[]>();
const serviceCache = new WeakMap<WorkspaceFile, ServiceBinding[]>();

/** The dialect an object belongs to, by its API group. */
export function dialectOf(object: { apiVersion: string }): Dialect | undefined {
  const slash = object.apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = object.apiVersion.slice(0, slash);
  return dialects.find((d) => d.api.group === group);
}

/** What an object is in the traffic model, in whichever dialect it belongs to. */
export function roleOf(object: ManifestObject): ObjectRole | undefined {
  return dialectOf(object)?.roleOf(object);
}

/** Whether a text may define objects of some dialect: a cheap test before parsing. */
export function mentionsMesh(text: string): boolean {
  return dialects.some((d) => d.textMarkers.some((marker) => text.includes(marker)));
}

/** Which schema file describes an object of some dialect, relative to `schemas/`. */
export function dialectSchemaFile(apiVersion: string, kind: string): string | undefined {
  for (const dialect of dialects) {
    const file = schemaFileIn(dialect.schemaFolder(apiVersion), kind);
    if (file) return file;
  }
  return undefined;
}

/** Whether a kind is named by references in some dialect (navigation, rename, completion). */
export function isNamedKind(kind: string): boolean {
  return dialects.some((d) => d.namedKinds.includes(kind));
}

/** The traffic splits (routers) a file defines; computed once per file version. */
export function splitsOf(file: WorkspaceFile): TrafficSplit[] {
  let splits = splitCache.get(file);
  if (!splits) {
    splits = [];
    for (const object of file.objects) {
      const split = dialectOf(object)?.split(object);
      if (split) splits.push(split);
    }
    splitCache.set(file, splits);
  }
  return splits;
}

/** The services bound to their providers a file defines; computed once per file version. */
export function servicesOf(file: WorkspaceFile): ServiceBinding[] {
  let services = serviceCache.get(file);
  if (!services) {
    services = [];
    for (const object of file.objects) {
      const service = dialectOf(object)?.service(object);
      if (service) services.push(service);
    }
    serviceCache.set(file, services);
  }
  return services;
}

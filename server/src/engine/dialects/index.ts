import { ServiceBinding, TrafficSplit, Dialect } from '../traffic';
import { WorkspaceFile } from '../workspace';
import { appMeshDialect } from './appmesh';

export const dialects: readonly Dialect[] = [appMeshDialect];

/** Kinds that are versions in some dialect (the targets of traffic splits). */
export const versionKinds: ReadonlySet<string> = new Set(dialects.map((d) => d.versionKind));

const splitCache = new WeakMap<WorkspaceFile, TrafficSplit[]>();
const serviceCache = new WeakMap<WorkspaceFile, ServiceBinding[]>();

/** The traffic splits (routers) a file defines; computed once per file version. */
export function splitsOf(file: WorkspaceFile): TrafficSplit[] {
  let splits = splitCache.get(file);
  if (!splits) {
    splits = [];
    for (const object of file.objects) {
      for (const dialect of dialects) {
        const split = dialect.split(object);
        if (split) splits.push(split);
      }
    }
    splitCache.set(file, splits);
  }
  return splits;
}

/** The service bindings (VirtualServices and their providers) a file defines. */
export function servicesOf(file: WorkspaceFile): ServiceBinding[] {
  let services = serviceCache.get(file);
  if (!services) {
    services = [];
    for (const object of file.objects) {
      for (const dialect of dialects) {
        const service = dialect.service(object);
        if (service) services.push(service);
      }
    }
    serviceCache.set(file, services);
  }
  return services;
}

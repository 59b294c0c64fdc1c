import { Dialect, DialectApi, ObjectRole, schemaFileIn } from '../dialect';
import { ManifestObject } from '../manifest';
import type { WorkspaceFile } from '../workspace';
import { appMeshDialect } from './appmesh';
import { gatewayApiDialect } from './gatewayapi';
import { istioDialect } from './istio';
import { linkerdDialect } from './linkerd';

/** Every mesh API the engine reads. A new dialect is a folder beside appmesh/ and a line here. */
export const dialects: readonly Dialect[] = [appMeshDialect, gatewayApiDialect, istioDialect, linkerdDialect];

/** Each API group the dialects read, with its dialect: one lookup per object, in hot paths. */
const apisByGroup = new Map<string, { dialect: Dialect; api: DialectApi }>(
  dialects.flatMap((dialect) => dialect.apis.map((api) => [api.group, { dialect, api }])),
);

/** The API of a dialect an object's apiVersion belongs to, by its group. */
export function apiOf(object: { apiVersion: string }): { dialect: Dialect; api: DialectApi } | undefined {
  const slash = object.apiVersion.indexOf('/');
  return slash < 0 ? undefined : apisByGroup.get(object.apiVersion.slice(0, slash));
}

/** The dialect an object belongs to, by its API group. */
export function dialectOf(object: { apiVersion: string }): Dialect | undefined {
  return apiOf(object)?.dialect;
}

/** What an object is in the traffic model, in whichever dialect it belongs to. */
export function roleOf(object: ManifestObject): ObjectRole | undefined {
  return dialectOf(object)?.roleOf(object);
}

/** Whether a text may define objects of some dialect: a cheap test before parsing. */
export function mentionsMesh(text: string): boolean {
  return dialects.some((d) => d.textMarkers.some((marker) => text.includes(marker)));
}

/** Whether a text may define objects some dialect's splits name without being the dialect's own (core Services). */
export function mayDefineVersions(text: string): boolean {
  return dialects.some((d) => d.versionMarkers.some((marker) => marker.test(text)));
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

/** What the objects of a file version are as one part of the model, read once per version by their dialects. */
function perFileVersion<T>(read: (dialect: Dialect, object: ManifestObject) => T | undefined): (file: WorkspaceFile) => T[] {
  const cache = new WeakMap<WorkspaceFile, T[]>();
  return (file) => {
    let found = cache.get(file);
    if (!found) {
      found = [];
      for (const object of file.objects) {
        const dialect = dialectOf(object);
        const value = dialect && read(dialect, object);
        if (value) found.push(value);
      }
      cache.set(file, found);
    }
    return found;
  };
}

/** The traffic splits (routers) a file defines; computed once per file version. */
export const splitsOf = perFileVersion((dialect, object) => dialect.split(object));

/** The services bound to their providers a file defines; computed once per file version. */
export const servicesOf = perFileVersion((dialect, object) => dialect.service(object));

import { BuildAnalysis } from '../../../../analysis';
import { BuiltObject } from '../../../../build';
import { ManifestObject } from '../../../../manifest';
import { nodeAt, scalarText } from '../../../../yaml';
import { GATEWAY_API_GROUP } from '../../api';
import { ObjectRef, parentIsService, parentRefsOf } from '../../traffic';
import { isCoreService, isGateway, runningObjects } from './objects';

/** A parentRef to a Gateway or a Service, the parents the Gateway API defines, with what it names. */
export interface ParentRef {
  ref: ObjectRef;
  kind: 'Gateway' | 'Service';
  name: string;
  /** The parentRef's namespace, else the route's final namespace. */
  namespace: string;
  sectionName: string | undefined;
  accepts: (object: ManifestObject) => boolean;
}

/** The parentRefs of a route to Gateways (`group` and `kind` default to just that) and Services; others are left alone. */
export function parentsOf(route: BuiltObject): ParentRef[] {
  return parentRefsOf(route.source).flatMap((ref): ParentRef[] => {
    if (ref.name === undefined) return [];
    const sectionName = scalarText(nodeAt(ref.node, ['sectionName']));
    const namespace = ref.namespace ?? route.namespace;
    if (parentIsService(ref)) return [{ ref, kind: 'Service', name: ref.name, namespace, sectionName, accepts: isCoreService }];
    if ((ref.group === undefined || ref.group === GATEWAY_API_GROUP) && (ref.kind === undefined || ref.kind === 'Gateway')) {
      return [{ ref, kind: 'Gateway', name: ref.name, namespace, sectionName, accepts: isGateway }];
    }
    return [];
  });
}

/**
 * The running parent, or undefined; `unknown` when the parent lives in another namespace that
 * this part of a partitioned build does not hold (it is checked as one of the namespaces, and the
 * parent's may be another part's), so nothing can be said.
 */
export function runningParent(analysis: BuildAnalysis, route: BuiltObject, parent: ParentRef): BuiltObject | 'unknown' | undefined {
  const [running] = runningObjects(analysis, parent.kind, parent.name, parent.namespace, parent.accepts);
  if (running) return running;
  if (parent.namespace !== route.namespace && analysis.objects.length < analysis.build.objects.length) return 'unknown';
  return undefined;
}

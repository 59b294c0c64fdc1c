import { BuildAnalysis } from '../../../../analysis';
import { BuiltObject } from '../../../../build';
import { isRecord } from '../../../../manifest';
import { BuildRule, Finding } from '../../../../rules/rule';
import { rangeOfNode } from '../../../../yaml';
import { GATEWAY_API_GROUP } from '../../api';
import { groupOf, namesService, parentIsService, parentRefsOf } from '../../traffic';
import { allBackendRefs, routeTitle, runningRoutes } from './objects';

/** The running ReferenceGrants by final namespace, once per analysis. */
const grantsByAnalysis = new WeakMap<BuildAnalysis, Map<string, BuiltObject[]>>();

function grantsIn(analysis: BuildAnalysis, namespace: string): BuiltObject[] {
  let grants = grantsByAnalysis.get(analysis);
  if (!grants) {
    grants = new Map();
    for (const built of analysis.objects) {
      if (built.kind !== 'ReferenceGrant' || groupOf(built.source.apiVersion) !== GATEWAY_API_GROUP) continue;
      const list = grants.get(built.namespace);
      if (list) list.push(built);
      else grants.set(built.namespace, [built]);
    }
    grantsByAnalysis.set(analysis, grants);
  }
  return grants.get(namespace) ?? [];
}

/** Whether a grant lets routes of that kind in `from` reference Service `name` in its namespace. */
function allows(grant: BuiltObject, routeKind: string, from: string, name: string): boolean {
  const spec = isRecord(grant.source.value.spec) ? grant.source.value.spec : {};
  const froms = Array.isArray(spec.from) ? spec.from.filter(isRecord) : [];
  const tos = Array.isArray(spec.to) ? spec.to.filter(isRecord) : [];
  return (
    froms.some((f) => f.group === GATEWAY_API_GROUP && f.kind === routeKind && f.namespace === from) &&
    tos.some(
      (t) => (t.group === '' || t.group === undefined) && t.kind === 'Service' && (t.name === undefined || t.name === null || t.name === '' || t.name === name),
    )
  );
}

/**
 * A route attached to a Gateway may reference a Service in another namespace only when a
 * ReferenceGrant in that namespace allows it (reason RefNotPermitted otherwise). Routes whose
 * parents are all Services (mesh mode) are left alone: most mesh implementations do not ask for a
 * grant (GEP-1294), and the mesh conformance tests run without. No fix: a fix edits files and
 * cannot create one, so the message says what grant to add, where.
 */
export const referenceGrantMissing: BuildRule = {
  code: 'reference-grant-missing',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A route attached to a Gateway references a Service in another namespace that no ReferenceGrant there allows.',
  check(analysis) {
    const findings: Finding[] = [];
    for (const route of runningRoutes(analysis)) {
      const parents = parentRefsOf(route.source);
      if (route.namespace === '' || !parents.some((p) => !parentIsService(p))) continue;
      for (const ref of allBackendRefs(route.source)) {
        if (!namesService(ref) || ref.name === undefined || ref.namespace === undefined || ref.namespace === route.namespace) continue;
        if (grantsIn(analysis, ref.namespace).some((grant) => allows(grant, route.kind, route.namespace, ref.name!))) continue;
        if (analysis.hasUnreadEntries) continue;
        const range = rangeOfNode(route.source.lines, ref.nameNode);
        if (!range) continue;
        findings.push({
          code: this.code,
          path: route.source.path,
          range,
          message:
            `${routeTitle(route)} references Service ${ref.namespace}/${ref.name} in another namespace, and no running ReferenceGrant in ${ref.namespace} allows it: ` +
            `the backendRef is refused (RefNotPermitted)${ref.mirror ? '' : ' and its traffic fails'}. Add a ReferenceGrant in namespace ${ref.namespace} ` +
            `from group ${GATEWAY_API_GROUP}, kind ${route.kind}, namespace ${route.namespace} to group "", kind Service (name ${ref.name}, or none for every Service).`,
        });
      }
    }
    return findings;
  },
};

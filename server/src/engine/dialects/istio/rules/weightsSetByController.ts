import { isRecord, ManifestObject } from '../../../manifest';
import { BuildRule, Finding } from '../../../rules/rule';
import { locate } from '../../../yaml';
import { isVirtualService } from '../traffic';

/**
 * A running VirtualService whose weights a progressive-delivery controller owns: an Argo Rollouts
 * Rollout that names it under `trafficRouting.istio`, or a Flagger Canary (provider istio) for a
 * workload of the same name, which generates a VirtualService of that name. The file's split is then
 * only where a rollout starts, and a GitOps sync and the controller fight over the weights.
 */
export const weightsSetByController: BuildRule = {
  code: 'weights-set-by-controller',
  scope: 'build',
  defaultSeverity: 'information',
  summary: 'A progressive-delivery controller (Argo Rollouts, Flagger) sets this VirtualService’s weights: the file’s split is only where a rollout starts.',
  check(analysis) {
    const findings: Finding[] = [];
    const services = analysis.objects.filter((o) => isVirtualService(o.source));
    if (services.length === 0) return findings;
    for (const built of analysis.objects) {
      const controller = built.source;
      for (const name of rolloutVirtualServices(controller)) {
        for (const vs of services.filter((s) => s.name === name && s.namespace === built.namespace)) {
          findings.push({
            code: this.code,
            path: vs.source.path,
            range: locate(vs.source.doc, vs.source.lines, ['metadata', 'name']),
            message: `Argo Rollouts sets the weights of VirtualService ${name} (Rollout ${controller.name} names it): the split written here is only where each rollout starts. Argo CD shows the VirtualService OutOfSync while a rollout runs, and a sync puts these weights back, unless its ignoreDifferences covers /spec/http/*/route/*/weight.`,
            related: [{ path: controller.path, range: locate(controller.doc, controller.lines, ['metadata', 'name']), message: `Rollout ${controller.name}` }],
          });
        }
      }
      const generated = flaggerVirtualService(controller);
      if (generated) {
        for (const vs of services.filter((s) => s.name === generated && s.namespace === built.namespace)) {
          findings.push({
            code: this.code,
            path: vs.source.path,
            range: locate(vs.source.doc, vs.source.lines, ['metadata', 'name']),
            message: `Flagger generates a VirtualService named ${generated} for Canary ${controller.name} and sets its weights: this one has the same name, so the two overwrite each other. Let Flagger own it (remove this file from the kustomization), or rename this one.`,
            related: [{ path: controller.path, range: locate(controller.doc, controller.lines, ['metadata', 'name']), message: `Canary ${controller.name}` }],
          });
        }
      }
    }
    return findings;
  },
};

/** The VirtualServices an Argo Rollouts Rollout's canary strategy edits (`virtualService` or `virtualServices`). */
function rolloutVirtualServices(object: ManifestObject): string[] {
  if (object.kind !== 'Rollout' || !object.apiVersion.startsWith('argoproj.io/')) return [];
  const istio = dig(object.value, ['spec', 'strategy', 'canary', 'trafficRouting', 'istio']);
  if (!isRecord(istio)) return [];
  const listed = Array.isArray(istio.virtualServices) ? istio.virtualServices : [istio.virtualService];
  return listed.flatMap((entry) => (isRecord(entry) && typeof entry.name === 'string' ? [entry.name] : []));
}

/** The VirtualService a Flagger Canary on Istio generates: named after its apex Service (`spec.service.name`, else the target workload). */
function flaggerVirtualService(object: ManifestObject): string | undefined {
  if (object.kind !== 'Canary' || !object.apiVersion.startsWith('flagger.app/')) return undefined;
  const provider = dig(object.value, ['spec', 'provider']);
  // Without a provider the Canary uses Flagger's installation default, which we cannot see: only an explicit istio counts.
  if (typeof provider !== 'string' || provider !== 'istio') return undefined;
  const service = dig(object.value, ['spec', 'service', 'name']);
  const target = dig(object.value, ['spec', 'targetRef', 'name']);
  return typeof service === 'string' ? service : typeof target === 'string' ? target : undefined;
}

function dig(value: unknown, path: string[]): unknown {
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return value;
}

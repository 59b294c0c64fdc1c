import * as path from 'node:path';
import { isRecord } from '../../../../manifest';
import { FileRule, Finding } from '../../../../rules/rule';
import { locate } from '../../../../yaml';
import { LATTICE_GROUP } from '../../api';
import { LatticeData } from '../../lattice';
import { groupOf } from '../../traffic';
import { latticeProfile } from './routes';

export const latticePolicyNamespace: FileRule<LatticeData> = {
  code: 'lattice-policy-namespace',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'A TargetGroupPolicy applies only to a Service or ServiceExport in its own namespace: a targetRef to another namespace has no effect there.',
  ...latticeProfile,
  check(file, workspace, read) {
    if (!file.mentionsMesh || file.isKustomization) return [];
    const findings: Finding<LatticeData>[] = [];
    for (const object of file.objects) {
      if (groupOf(object.apiVersion) !== LATTICE_GROUP || object.kind !== 'TargetGroupPolicy') continue;
      const spec = object.value.spec;
      const targetRef = isRecord(spec) ? spec.targetRef : undefined;
      const target = isRecord(targetRef) && typeof targetRef.namespace === 'string' ? targetRef.namespace : undefined;
      if (target === undefined) continue;
      // The namespace the kustomization beside it sets wins over the written one; kustomize leaves targetRef alone.
      const kustomizationPath = workspace.kustomizationIn(path.dirname(file.path));
      if (kustomizationPath) read(kustomizationPath);
      const own = (kustomizationPath ? workspace.file(kustomizationPath)?.kustomization?.namespace : undefined) ?? object.namespace;
      if (own === undefined || own === target) continue;
      const name = isRecord(targetRef) && typeof targetRef.name === 'string' ? targetRef.name : 'its target';
      findings.push({
        code: this.code,
        path: file.path,
        range: locate(object.doc, object.lines, ['spec', 'targetRef', 'namespace'], 'value'),
        message: `TargetGroupPolicy ${object.name} is in namespace ${own} but its targetRef names namespace ${target}: the AWS Gateway API Controller looks the target up in the policy's own namespace only, so ${name} in ${target} keeps the default protocol and health check. Put the policy in ${target}.`,
        // A Lattice object: the route's Gateway does not matter.
        data: { detected: true },
      });
    }
    return findings;
  },
};

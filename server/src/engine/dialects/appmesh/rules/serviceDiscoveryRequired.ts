import * as path from 'node:path';
import { lineEndOf } from '../../../edits';
import { isRecord, ManifestObject } from '../../../manifest';
import { isAppMesh } from '../traffic';
import { Range } from '../../../text';
import { Workspace } from '../../../workspace';
import { locate } from '../../../yaml';
import { FileRule } from '../../../rules/rule';

export const serviceDiscoveryRequired: FileRule<{ hostname: string | undefined }> = {
  code: 'service-discovery-required',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A VirtualNode with listeners needs serviceDiscovery, or the webhook rejects it.',
  check(file, workspace) {
    return file.objects.flatMap((object) => {
      if (!isAppMesh(object) || object.kind !== 'VirtualNode' || !isRecord(object.value.spec)) return [];
      const { listeners, serviceDiscovery } = object.value.spec;
      if (!Array.isArray(listeners) || listeners.length === 0 || serviceDiscovery !== undefined) return [];
      const range = locate(object.doc, file.parsed.lines, ['spec', 'listeners'], 'key');
      return [
        {
          code: this.code,
          path: file.path,
          range,
          message: `VirtualNode ${object.name} has listeners but no serviceDiscovery; App Mesh requires one (dns or awsCloudMap).`,
          data: { hostname: hostnameFor(object, workspace) },
        },
      ];
    });
  },
  fixes(finding, { workspace }) {
    const hostname = finding.data?.hostname;
    const file = workspace.file(finding.path);
    if (!hostname || !file) return [];
    const at: Range['start'] = finding.range.start;
    const indent = ' '.repeat(at.character);
    const eol = lineEndOf(file.text);
    const block = ['serviceDiscovery:', `${indent}  dns:`, `${indent}    hostname: ${hostname}`, indent].join(eol);
    return [
      {
        title: `Add DNS service discovery (${hostname})`,
        isPreferred: true,
        changes: [{ path: finding.path, edits: [{ range: { start: at, end: at }, newText: block }] }],
      },
    ];
  },
};

/**
 * The DNS name the node most likely has: the pattern its neighbours use with its own name
 * (`metal-v1.${ns}.svc.cluster.local` gives `metal-v2.${ns}.svc.cluster.local`), else one from its namespace.
 */
function hostnameFor(node: ManifestObject, workspace: Workspace): string | undefined {
  const dir = path.dirname(node.path);
  for (const entry of workspace.listDirectory(dir)) {
    if (entry.kind !== 'file' || !/\.ya?ml$/i.test(entry.name)) continue;
    for (const other of workspace.file(path.join(dir, entry.name))?.objects ?? []) {
      if (other.kind !== 'VirtualNode' || other === node || !isRecord(other.value.spec)) continue;
      const discovery = other.value.spec.serviceDiscovery;
      const hostname = isRecord(discovery) && isRecord(discovery.dns) ? discovery.dns.hostname : undefined;
      if (typeof hostname === 'string' && hostname.startsWith(`${other.name}.`)) return node.name + hostname.slice(other.name.length);
    }
  }
  return node.namespace ? `${node.name}.${node.namespace}.svc.cluster.local` : undefined;
}

import { isAppMesh, isRecord } from '../manifest';
import { locate } from '../yaml';
import { FileRule } from './rule';

export const serviceDiscoveryRequired: FileRule = {
  code: 'service-discovery-required',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A VirtualNode with listeners needs serviceDiscovery, or the webhook rejects it.',
  check(file) {
    return file.objects.flatMap((object) => {
      if (!isAppMesh(object) || object.kind !== 'VirtualNode' || !isRecord(object.value.spec)) return [];
      const { listeners, serviceDiscovery } = object.value.spec;
      if (!Array.isArray(listeners) || listeners.length === 0 || serviceDiscovery !== undefined) return [];
      return [
        {
          code: this.code,
          path: file.path,
          range: locate(object.doc, file.parsed.lines, ['spec', 'listeners'], 'key'),
          message: `VirtualNode ${object.name} has listeners but no serviceDiscovery; App Mesh requires one (dns or awsCloudMap).`,
        },
      ];
    });
  },
};

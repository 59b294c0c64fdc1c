import { ManifestObject } from '../../../../manifest';
import { FileRule, Finding } from '../../../../rules/rule';
import { isMap, isSeq, nodeAt, rangeOfNode, YamlMap, YamlNode } from '../../../../yaml';
import { isGatewayApi } from '../../traffic';
import { findingAt, lineOf, mapsAt, numberOf, present, textOf } from './fields';

/** The kinds whose listeners the CEL rules check (Gateway v1 and v1beta1, ListenerSet v1: the same rules). */
const LISTENER_KINDS = ['Gateway', 'ListenerSet'];

/** Protocols that carry no TLS settings, and those that carry no hostname. */
const WITHOUT_TLS = ['HTTP', 'TCP', 'UDP'];
const WITHOUT_HOSTNAME = ['TCP', 'UDP'];

interface Listener {
  node: YamlMap;
  name: string | undefined;
  nameNode: YamlNode | undefined;
  protocol: string | undefined;
  protocolNode: YamlNode | undefined;
  port: number | undefined;
  portNode: YamlNode | undefined;
  /** Undefined when the listener has no hostname (the CEL rule tells "none" from any value). */
  hostname: string | undefined;
}

function readListener(node: YamlMap): Listener {
  const nameNode = present(node, 'name')?.value;
  const protocolNode = present(node, 'protocol')?.value;
  const portNode = present(node, 'port')?.value;
  return {
    node,
    name: textOf(nameNode),
    nameNode,
    protocol: textOf(protocolNode),
    protocolNode,
    port: numberOf(portNode),
    portNode,
    hostname: textOf(present(node, 'hostname')?.value),
  };
}

export const gatewayListeners: FileRule = {
  code: 'gateway-listeners',
  scope: 'file',
  defaultSeverity: 'error',
  summary:
    'A Gateway or ListenerSet listener the API server rejects: TLS settings on HTTP/TCP/UDP or missing on TLS, Passthrough on HTTPS, Terminate without certificates, a hostname on TCP/UDP, a name or port/protocol/hostname used twice.',
  check(file) {
    const findings: Finding[] = [];
    for (const object of file.objects) {
      if (!isGatewayApi(object) || !LISTENER_KINDS.includes(object.kind)) continue;
      const spec = nodeAt(object.doc.contents, ['spec']);
      if (!isMap(spec)) continue;
      const listeners = mapsAt(spec, ['listeners']).map((item) => readListener(item.node));
      for (const listener of listeners) checkListener(this.code, object, listener, findings);
      checkDistinct(this.code, object, listeners, findings);
      checkPerPortTls(this.code, object, spec, findings);
    }
    return findings;
  },
};

function checkListener(code: string, object: ManifestObject, listener: Listener, findings: Finding[]): void {
  const { protocol } = listener;
  if (protocol === undefined) return;
  const tls = present(listener.node, 'tls');
  const label = listener.name === undefined ? 'This listener' : `Listener ${listener.name}`;
  if (tls && WITHOUT_TLS.includes(protocol)) {
    findings.push(
      findingAt(
        code,
        object,
        tls.key,
        `${label} speaks ${protocol}, which has no TLS to configure: the API server rejects \`tls\` on HTTP, TCP and UDP listeners. Use HTTPS or TLS, or remove \`tls\`.`,
      ),
    );
  }
  if (!tls && protocol === 'TLS') {
    findings.push(
      findingAt(
        code,
        object,
        listener.protocolNode,
        `${label} speaks TLS but has no \`tls\` settings: the API server needs a mode (Terminate or Passthrough) on a TLS listener.`,
      ),
    );
  }
  const hostname = present(listener.node, 'hostname');
  if (hostname && textOf(hostname.value) !== '' && WITHOUT_HOSTNAME.includes(protocol)) {
    findings.push(
      findingAt(
        code,
        object,
        hostname.key,
        `${label} speaks ${protocol}, which carries no host name to match: the API server rejects \`hostname\` on TCP and UDP listeners.`,
      ),
    );
  }
  if (!tls || !isMap(tls.value)) return;
  const modePair = present(tls.value, 'mode');
  // The CRD defaults the mode to Terminate.
  const mode = modePair ? textOf(modePair.value) : 'Terminate';
  if (protocol === 'HTTPS' && mode !== undefined && mode !== '' && mode !== 'Terminate') {
    findings.push(
      findingAt(
        code,
        object,
        modePair?.value,
        `${label} speaks HTTPS, so the Gateway must terminate TLS to read the requests: the API server accepts only mode Terminate here (Passthrough needs protocol TLS).`,
      ),
    );
  }
  if (mode === 'Terminate') {
    const certificates = present(tls.value, 'certificateRefs')?.value;
    const options = present(tls.value, 'options')?.value;
    const hasCertificates = isSeq(certificates) && certificates.items.length > 0;
    const hasOptions = isMap(options) && options.items.length > 0;
    if (!hasCertificates && !hasOptions) {
      findings.push(
        findingAt(
          code,
          object,
          tls.key,
          `${label} terminates TLS${modePair ? '' : ' (the default mode)'} without certificateRefs or options: the API server rejects it, as the Gateway would have no certificate to present.`,
        ),
      );
    }
  }
}

/** Listener names, and the port, protocol and hostname together, are each one listener's. */
function checkDistinct(code: string, object: ManifestObject, listeners: Listener[], findings: Finding[]): void {
  const byName = new Map<string, Listener>();
  const byAddress = new Map<string, Listener>();
  for (const listener of listeners) {
    if (listener.name !== undefined) {
      const first = byName.get(listener.name);
      if (first) {
        pushWithRelated(
          findings,
          findingAt(
            code,
            object,
            listener.nameNode,
            `A second listener named ${listener.name} (the first is on ${lineOf(object, first.node)}): listener names must be unique within the ${object.kind}, as routes attach to them by sectionName.`,
          ),
          object,
          first.node,
          `The first listener ${listener.name}.`,
        );
      } else byName.set(listener.name, listener);
    }
    // A ListenerSet listener without a port is not compared (its CEL rule skips it); a Gateway listener needs one anyway.
    if (listener.port === undefined || listener.protocol === undefined) continue;
    const key = JSON.stringify([listener.port, listener.protocol, listener.hostname ?? null]);
    const first = byAddress.get(key);
    if (first) {
      const host = listener.hostname === undefined ? 'no hostname' : `hostname ${listener.hostname}`;
      pushWithRelated(
        findings,
        findingAt(
          code,
          object,
          listener.portNode,
          `This listener has the same port (${listener.port}), protocol (${listener.protocol}) and ${host} as the one on ${lineOf(object, first.node)}: the Gateway could not tell which one a connection is for, and the API server rejects it.`,
        ),
        object,
        first.node,
        'The listener with the same port, protocol and hostname.',
      );
    } else byAddress.set(key, listener);
  }
}

/** Per-port TLS settings of the frontend: one entry a port. */
function checkPerPortTls(code: string, object: ManifestObject, spec: YamlMap, findings: Finding[]): void {
  const seen = new Map<number, YamlNode>();
  for (const entry of mapsAt(spec, ['tls', 'frontend', 'perPort'])) {
    const portNode = present(entry.node, 'port')?.value;
    const port = numberOf(portNode);
    if (port === undefined || !portNode) continue;
    const first = seen.get(port);
    if (first) {
      pushWithRelated(
        findings,
        findingAt(
          code,
          object,
          portNode,
          `Port ${port} has TLS settings twice in tls.frontend.perPort (first on ${lineOf(object, first)}): the API server accepts one entry a port.`,
        ),
        object,
        first,
        `The first settings for port ${port}.`,
      );
    } else seen.set(port, portNode);
  }
}

function pushWithRelated(findings: Finding[], finding: Finding, object: ManifestObject, node: YamlNode, message: string): void {
  const range = rangeOfNode(object.lines, node);
  if (range) finding.related = [{ path: object.path, range, message }];
  findings.push(finding);
}

import { FileRule, Finding } from '../../../../rules/rule';
import { isSeq, nodeAt } from '../../../../yaml';
import { findingAt, routesOf, textOf } from './fields';

/** TLSRoute versions whose CRD refuses IP hostnames (v1alpha2 has no such rule). */
const CHECKED_VERSIONS = ['v1', 'v1alpha3'];

/**
 * Whether CEL's `isIP` takes the text for an address. The hostname pattern of the schema already
 * refuses anything with ':' (so every IPv6 form); what it lets through are dotted IPv4 quads, which
 * Go's netip parser accepts only as four decimal octets of 0..255 without leading zeros.
 */
export function isIPv4(text: string): boolean {
  const octets = text.split('.');
  return octets.length === 4 && octets.every((octet) => /^(0|[1-9][0-9]{0,2})$/.test(octet) && Number(octet) <= 255);
}

export const tlsRouteHostname: FileRule = {
  code: 'tls-route-hostname',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A TLSRoute hostname is an IP address: TLS SNI carries names only, and the API server rejects the route.',
  check(file) {
    const findings: Finding[] = [];
    for (const { object, spec } of routesOf(file.objects, ['TLSRoute'])) {
      if (!CHECKED_VERSIONS.includes(object.apiVersion.slice(object.apiVersion.indexOf('/') + 1))) continue;
      const hostnames = nodeAt(spec, ['hostnames']);
      if (!isSeq(hostnames)) continue;
      for (const item of hostnames.items) {
        const hostname = textOf(item);
        if (hostname === undefined || !isIPv4(hostname)) continue;
        findings.push(
          findingAt(
            this.code,
            object,
            item,
            `'${hostname}' is an IP address: a TLSRoute matches the server name (SNI) a client sends, which is always a DNS name, and the API server rejects IP hostnames. Name the host instead.`,
          ),
        );
      }
    }
    return findings;
  },
};

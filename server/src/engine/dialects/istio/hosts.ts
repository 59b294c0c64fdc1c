/**
 * How a VirtualService or DestinationRule host names a Service of the cluster. Istio expands only a
 * name without a dot (`reviews`, in the object's own namespace) to `reviews.<ns>.svc.cluster.local`;
 * anything with a dot is used as written (pilot/pkg/model/config.go ResolveShortnameToFQDN, Istio
 * 1.30.3), and the registry knows Services as `name.namespace.svc.<domain>`. So `reviews.prod` and
 * `reviews.prod.svc` name no Service (see host-not-fully-qualified), and other hosts
 * (`api.example.com`, a wildcard) are outside the cluster: a ServiceEntry may declare them.
 */
export interface ServiceHost {
  name: string;
  /** The namespace the host names; undefined for a short name (the object's own). */
  namespace: string | undefined;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SHORT = new RegExp(`^${LABEL}$`);
const FULL = new RegExp(`^(${LABEL})\\.(${LABEL})\\.svc\\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`);
const PARTIAL = new RegExp(`^(${LABEL})\\.(${LABEL})(\\.svc)?$`);

export function serviceHost(host: string): ServiceHost | undefined {
  if (SHORT.test(host)) return { name: host, namespace: undefined };
  const match = FULL.exec(host);
  return match ? { name: match[1], namespace: match[3] } : undefined;
}

/** A host that reads like a Service's (`reviews.prod`, `reviews.prod.svc`) but that Istio takes as written. */
export function partialServiceHost(host: string): ServiceHost | undefined {
  const match = PARTIAL.exec(host);
  return match ? { name: match[1], namespace: match[3] } : undefined;
}

/** Whether two hosts name the same Service, each relative to the namespace of the object that writes it. */
export function sameService(a: string, aNamespace: string, b: string, bNamespace: string): boolean {
  const left = serviceHost(a);
  const right = serviceHost(b);
  if (!left || !right) return a === b;
  return left.name === right.name && (left.namespace ?? aNamespace) === (right.namespace ?? bNamespace);
}

/** Whether a ServiceEntry host (`*.example.com` allowed) covers a destination host. */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

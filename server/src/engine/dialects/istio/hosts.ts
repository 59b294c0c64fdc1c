/**
 * How a VirtualService or DestinationRule host names a Service of the cluster: a short name
 * (`reviews`, in the object's own namespace), `reviews.prod`, `reviews.prod.svc` or
 * `reviews.prod.svc.cluster.local`. Anything else (`api.example.com`, a wildcard) is no Service
 * of the cluster: a ServiceEntry may declare it.
 */
export interface ServiceHost {
  name: string;
  /** The namespace the host names; undefined for a short name (the object's own). */
  namespace: string | undefined;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SHORT = new RegExp(`^${LABEL}$`);
const QUALIFIED = new RegExp(`^(${LABEL})\\.(${LABEL})(\\.svc(\\.[a-z0-9.-]+)?)?$`);

export function serviceHost(host: string): ServiceHost | undefined {
  if (SHORT.test(host)) return { name: host, namespace: undefined };
  const match = QUALIFIED.exec(host);
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

/** A host as the proxies key it: a Service's `name.namespace` (a short name in the writer's namespace), else the host as written. */
export function hostKey(host: string, namespace: string): string {
  const service = serviceHost(host);
  return service ? `${service.name}.${service.namespace ?? namespace}` : host.toLowerCase();
}

import { Range } from '../../../text';

/** What does not carry over to the target API, at the App Mesh line that has it. */
export interface MigrationNote {
  path: string;
  range: Range;
  /** warning: behaviour changes or is lost; information: something to do by hand. */
  severity: 'warning' | 'information';
  message: string;
}

export type MigrationTarget = 'gamma' | 'lattice' | 'istio';

export const TARGET_LABELS: Record<MigrationTarget, string> = {
  gamma: 'Gateway API mesh mode (GAMMA: Istio or Linkerd through HTTPRoutes)',
  lattice: 'Amazon VPC Lattice (AWS Gateway API Controller)',
  istio: "Istio's VirtualService and DestinationRule",
};

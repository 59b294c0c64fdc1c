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

/**
 * The report as markdown (a pull-request comment, an editor tab): what was written, and what does not
 * carry over as a list, which reads as well unrendered as rendered.
 */
export function markdownReport(
  plan: { target: MigrationTarget; outDir: string; files: { path: string }[]; notes: MigrationNote[] },
  relative: (filePath: string) => string,
  written: boolean,
): string {
  const notes = plan.notes.map((n) => `- \`${relative(n.path)}:${n.range.start.line + 1}\` ${n.severity === 'warning' ? '**warning**' : 'note'}: ${n.message}`);
  return [
    `## Migration to ${TARGET_LABELS[plan.target]}`,
    '',
    `${written ? 'Wrote' : 'Would write'} ${plan.files.length} files to \`${relative(plan.outDir)}\`: ${plan.files.map((f) => `\`${f.path.slice(plan.outDir.length + 1)}\``).join(', ')}.`,
    '',
    plan.notes.length === 0 ? 'Everything carries over.' : ['What does not carry over:', '', ...notes].join('\n'),
    '',
  ].join('\n');
}

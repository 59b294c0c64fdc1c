import { clearlyClosest, closest } from '../../../../closest';
import { BuildRule, Finding } from '../../../../rules/rule';
import { nodeAt, rangeOfNode } from '../../../../yaml';
import { routeTitle, runningRoutes, Section, sectionsOf } from './objects';
import { parentsOf, runningParent } from './parents';

interface SectionData {
  /** The value to write instead (a listener's or port's name, or a port), when one is clearly meant. */
  replacement: string | undefined;
}

function describe(section: Section): string {
  return [section.name, section.port].filter((part) => part !== undefined).join(' ');
}

/**
 * A parentRef's `sectionName` selects a Gateway's listener or a Service's port by name, and its
 * `port` by number; both, when given, must match the same one. When none matches, the parent does
 * not accept the route (reason NoMatchingParent).
 */
export const parentSectionNotFound: BuildRule<SectionData> = {
  code: 'parent-section-not-found',
  scope: 'build',
  defaultSeverity: 'error',
  summary: "A parentRef's sectionName or port matches no listener of the Gateway or port of the Service.",
  check(analysis) {
    const findings: Finding<SectionData>[] = [];
    for (const route of runningRoutes(analysis)) {
      for (const parent of parentsOf(route)) {
        const { ref, sectionName } = parent;
        if (sectionName === undefined && ref.port === undefined) continue;
        const running = runningParent(analysis, route, parent);
        if (running === undefined || running === 'unknown') continue;
        const sections = sectionsOf(running.source);
        if (!sections || sections.some((s) => (sectionName !== undefined && s.name === undefined) || (ref.port !== undefined && s.port === undefined)))
          continue;
        const fits = (s: Section): boolean => (sectionName === undefined || s.name === sectionName) && (ref.port === undefined || s.port === ref.port);
        if (sections.some(fits)) continue;
        const what = parent.kind === 'Gateway' ? 'listener' : 'port';
        const named = sectionName === undefined ? undefined : sections.find((s) => s.name === sectionName);
        const lines = route.source.lines;
        let problem: string;
        let at: 'sectionName' | 'port';
        let replacement: string | undefined;
        if (sectionName !== undefined && !named) {
          problem = `has no ${what} named ${sectionName}`;
          at = 'sectionName';
          const names = sections.flatMap((s) => (s.name !== undefined && (ref.port === undefined || s.port === ref.port) ? [s.name] : []));
          const close = closest(sectionName, names);
          replacement = clearlyClosest(sectionName, close) ? close[0] : undefined;
        } else if (named) {
          problem =
            parent.kind === 'Gateway'
              ? `has its listener ${sectionName} on port ${named.port}, not ${ref.port}`
              : `has its port ${sectionName} as ${named.port}, not ${ref.port}`;
          at = 'port';
          replacement = String(named.port);
        } else {
          problem = parent.kind === 'Gateway' ? `has no listener on port ${ref.port}` : `does not expose port ${ref.port}`;
          at = 'port';
          replacement = sections.length === 1 ? String(sections[0].port) : undefined;
        }
        const range = rangeOfNode(lines, nodeAt(ref.node, [at]));
        if (!range) continue;
        const listed = sections.length > 0 ? `its ${what}s: ${sections.map(describe).join(', ')}` : `it has no ${what}s`;
        findings.push({
          code: this.code,
          path: route.source.path,
          range,
          message: `${parent.kind} ${parent.name} ${problem} (${listed}): it does not accept ${routeTitle(route)} (NoMatchingParent).`,
          related: [
            {
              path: running.source.path,
              range: rangeOfNode(running.source.lines, nodeAt(running.source.doc.contents, ['metadata', 'name'])) ?? range,
              message: `${parent.kind} ${parent.name}`,
            },
          ],
          data: { replacement },
        });
      }
    }
    return findings;
  },
  fixes(finding) {
    const replacement = finding.data?.replacement;
    if (replacement === undefined) return [];
    return [
      { title: `Change to ${replacement}`, isPreferred: true, changes: [{ path: finding.path, edits: [{ range: finding.range, newText: replacement }] }] },
    ];
  },
};

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, Rule, Severity } from '../engine';

const LEVELS: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0, as code-scanning services accept it: paths relative to the checkout. */
export function toSarif(diagnostics: Diagnostic[], base: string, rules: readonly Rule[], documentation: (code: string) => string): object {
  const location = (file: string, range: Diagnostic['range']): object => ({
    physicalLocation: {
      artifactLocation: { uri: path.relative(base, file).split(path.sep).join('/'), uriBaseId: '%SRCROOT%' },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mesh-kustomize',
            rules: rules.map((rule) => ({
              id: rule.code,
              shortDescription: { text: rule.summary },
              helpUri: pathToFileURL(documentation(rule.code)).href,
              defaultConfiguration: { level: LEVELS[rule.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(base + path.sep).href } },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          level: LEVELS[d.severity],
          message: { text: d.message },
          locations: [location(d.path, d.range)],
          relatedLocations: d.related.map((r, id) => ({ id, message: { text: r.message }, ...location(r.path, r.range) })),
        })),
      },
    ],
  };
}

import { pathToFileURL } from 'node:url';
import { Diagnostic as LspDiagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Diagnostic, ruleDocumentation, Severity } from '../engine';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'mesh-kustomize';

export function pathToUri(filePath: string): string {
  return URI.file(filePath).toString();
}

export function uriToPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

/** What the client said it can show; anything else is left out rather than sent blindly. */
export interface DiagnosticSupport {
  relatedInformation: boolean;
  codeDescription: boolean;
}

const documentationLinks = new Map<string, string | undefined>();

function documentationLink(code: string): string | undefined {
  if (!documentationLinks.has(code)) {
    let link: string | undefined;
    try {
      link = pathToFileURL(ruleDocumentation(code)).href;
    } catch {
      link = undefined;
    }
    documentationLinks.set(code, link);
  }
  return documentationLinks.get(code);
}

export function toLspDiagnostic(diagnostic: Diagnostic, support: DiagnosticSupport): LspDiagnostic {
  const result: LspDiagnostic = {
    range: diagnostic.range,
    severity: SEVERITIES[diagnostic.severity],
    code: diagnostic.code,
    source: SOURCE,
    message: diagnostic.message,
  };
  const href = support.codeDescription ? documentationLink(diagnostic.code) : undefined;
  if (href) result.codeDescription = { href };
  if (support.relatedInformation && diagnostic.related.length > 0) {
    result.relatedInformation = diagnostic.related.map((r) => ({ location: { uri: pathToUri(r.path), range: r.range }, message: r.message }));
  }
  if (diagnostic.data) result.data = diagnostic.data;
  return result;
}

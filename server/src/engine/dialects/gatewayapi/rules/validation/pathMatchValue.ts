import { replace } from '../../../../fixes';
import { FileRule, Finding } from '../../../../rules/rule';
import { Range } from '../../../../text';
import { isScalar, nodeAt } from '../../../../yaml';
import { findingAt, mapsAt, present, routesOf, textOf } from './fields';

/**
 * The characters an Exact or PathPrefix value may hold (RFC 3986 path characters and
 * percent-encodings), exactly as the HTTPRoute CRD's CEL rule writes them (v1.6.1, standard).
 */
const PATH_VALUE = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const PATH_CHARACTER = /[-A-Za-z0-9/._~!$&'()*+,;=:@]/;

/** The match types whose value is a literal path; a RegularExpression value is the implementation's to read. */
const LITERAL_TYPES = ['Exact', 'PathPrefix'];

/**
 * What the CEL rules on an HTTPRoute path match reject in an Exact or PathPrefix value, in the
 * CRD's order, each in words; empty when the API server accepts it.
 */
export function pathValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (!value.startsWith('/')) problems.push("does not start with '/'");
  for (const part of ['//', '/./', '/../', '%2f', '%2F', '#']) {
    if (value.includes(part)) problems.push(`contains '${part}'`);
  }
  if (value.endsWith('/..')) problems.push("ends with '/..'");
  else if (value.endsWith('/.')) problems.push("ends with '/.'");
  if (!PATH_VALUE.test(value)) {
    const invalid = invalidCharacters(value).filter((c) => c !== '#');
    if (value === '') problems.push('is empty');
    else if (invalid.length > 0) problems.push(`holds ${invalid.map(describeCharacter).join(', ')}, which a URL path cannot carry unencoded`);
    else if (!problems.some((problem) => problem.includes('#'))) problems.push("has a '%' that is not followed by two hexadecimal digits");
  }
  return problems;
}

/** The distinct characters (a lone '%' included) that the value rule does not allow, in order of appearance. */
function invalidCharacters(value: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      i += 2;
      continue;
    }
    if (c === '%' || PATH_CHARACTER.test(c)) continue;
    if (!found.includes(c)) found.push(c);
  }
  return found;
}

function describeCharacter(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  const code = c.codePointAt(0) ?? 0;
  return code < 32 || code === 127 ? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
}

/**
 * The value one obvious edit repairs: a missing leading '/' added and repeated '/' collapsed, when
 * that leaves nothing else the API server refuses.
 */
export function repairedPath(value: string): string | undefined {
  const repaired = (value.startsWith('/') ? value : `/${value}`).replace(/\/{2,}/g, '/');
  return repaired !== value && pathValueProblems(repaired).length === 0 ? repaired : undefined;
}

interface PathData {
  /** The value's text (without its quotes) and the repaired value, when a fix applies. */
  edit?: { range: Range; newText: string };
}

export const pathMatchValue: FileRule<PathData> = {
  code: 'path-match-value',
  scope: 'file',
  defaultSeverity: 'error',
  summary:
    "An HTTPRoute's Exact or PathPrefix path match value is not a clean absolute path ('//', '/./', '%2F', '#', characters outside RFC 3986), which the API server rejects.",
  check(file) {
    const findings: Finding<PathData>[] = [];
    for (const { object, spec } of routesOf(file.objects, ['HTTPRoute'])) {
      for (const rule of mapsAt(spec, ['rules'])) {
        for (const match of mapsAt(rule.node, ['matches'])) {
          const path = present(match.node, 'path')?.value;
          // The CRD defaults the type to PathPrefix and the value to '/'; an absent value is fine.
          const typePair = present(path, 'type');
          const type = typePair ? textOf(typePair.value) : 'PathPrefix';
          if (type === undefined || !LITERAL_TYPES.includes(type)) continue;
          const valueNode = present(path, 'value')?.value;
          const value = textOf(valueNode);
          if (value === undefined) continue;
          const problems = pathValueProblems(value);
          if (problems.length === 0) continue;
          const repaired = repairedPath(value);
          findings.push(
            findingAt(
              this.code,
              object,
              valueNode,
              `The ${type} path '${value}' ${joinProblems(problems)}: the API server rejects this HTTPRoute (${type === 'Exact' ? 'an' : 'a'} ${type} value must be an absolute, normalized URL path).`,
              { edit: repaired === undefined ? undefined : editOf(object.lines.text, valueNode, value, repaired, object.lines.range.bind(object.lines)) },
            ),
          );
        }
      }
    }
    return findings;
  },
  fixes(finding) {
    const edit = finding.data?.edit;
    if (!edit) return [];
    return [
      { title: `Change the path to '${edit.newText}'`, isPreferred: true, changes: [{ path: finding.path, edits: [replace(edit.range, edit.newText)] }] },
    ];
  },
};

function joinProblems(problems: string[]): string {
  return problems.length === 1 ? problems[0] : `${problems.slice(0, -1).join(', ')} and ${problems[problems.length - 1]}`;
}

/** The edit of the value's characters only (inside its quotes), when the source writes the value as it reads. */
function editOf(
  text: string,
  node: ReturnType<typeof nodeAt>,
  value: string,
  repaired: string,
  range: (start: number, end: number) => Range,
): PathData['edit'] {
  if (!isScalar(node)) return undefined;
  const source = text.slice(node.start, node.end);
  const quoted = source.length >= 2 && (source[0] === '"' || source[0] === "'") && source[source.length - 1] === source[0];
  const inner = quoted ? source.slice(1, -1) : source;
  // Escapes or folding: the text is not the value, so no byte-exact edit.
  if (inner !== value) return undefined;
  const start = node.start + (quoted ? 1 : 0);
  return { range: range(start, start + inner.length), newText: repaired };
}

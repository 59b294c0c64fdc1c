/**
 * Which version answered a request: a pattern picks a name out of the answer (by default the first
 * JSON string, as the DJ backends answer `["metal-v1", "Megadeth","Judas Priest"]`), and the name is
 * matched to the versions the stage model knows.
 */

/** The first JSON string of the answer, its text between the quotes. */
export const DEFAULT_ANSWER_PATTERN = '"((?:[^"\\\\]|\\\\.)*)"';

/** The pattern as a regular expression with exactly one capture group, or why it is none. */
export function answerPattern(source: string): RegExp | { error: string } {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    return { error: `the answer pattern is no regular expression: ${error instanceof Error ? error.message : String(error)}` };
  }
  // The groups of a pattern: those of an alternative that matches the empty string.
  const groups = new RegExp(`${source}|`).exec('')!.length - 1;
  if (groups !== 1) return { error: `the answer pattern must have exactly one capture group (the version's name), not ${groups}: ${source}` };
  return pattern;
}

export type AnswerReading = { version: string } | { error: string };

/** Separators between a service's name and a version's own part: metal-v1, reviews/v1. */
const SEPARATOR = /^[-/._:]/;

/** A version's name without its service's: "v1" of "metal-v1" and of "reviews/v1". */
function ownPart(name: string, service: string): string {
  return name.startsWith(service) && SEPARATOR.test(name.slice(service.length)) ? name.slice(service.length + 1) : name;
}

/**
 * The version that gave this answer, by the captured name: a version's name itself, else the same
 * own part ("metal-v1" answers for "metal/v1", "v1" for "metal-v1").
 */
export function readAnswer(answer: string, pattern: RegExp, service: string, versions: readonly string[]): AnswerReading {
  const captured = pattern.exec(answer)?.[1];
  if (captured === undefined) return { error: `no version in the answer: ${sample(answer)}` };
  if (versions.includes(captured)) return { version: captured };
  const own = ownPart(captured, service);
  const matches = versions.filter((v) => ownPart(v, service) === own);
  if (matches.length === 1) return { version: matches[0] };
  return { error: `the answer names '${captured}', no version of ${service} (${versions.join(', ')})` };
}

/** A short, one-line sample of a text for a report. */
export function sample(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length === 0 ? '(empty)' : line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  return editDistanceWithin(a, b, Infinity);
}

/** Two rows of the distance table, reused: comparing a name with a whole directory allocates nothing. */
let previousRow: number[] = [];
let currentRow: number[] = [];

/** The edit distance, or any number above `max` as soon as it is certain to exceed it. */
function editDistanceWithin(a: string, b: string, max: number): number {
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (code === b.charCodeAt(j - 1) ? 0 : 1));
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    [previous, current] = [current, previous];
    if (rowMinimum > max) {
      [previousRow, currentRow] = [previous, current];
      return max + 1;
    }
  }
  [previousRow, currentRow] = [previous, current];
  return previous[b.length];
}

/** Whether the first suggestion is strictly closer to what was typed than the runner-up: the clear fix. */
export function clearlyClosest(typed: string, suggestions: string[]): boolean {
  if (suggestions.length < 2) return suggestions.length === 1;
  if (typed.length > MAX_COMPARED_LENGTH) return false;
  return editDistance(typed.toLowerCase(), suggestions[0].toLowerCase()) < editDistance(typed.toLowerCase(), suggestions[1].toLowerCase());
}

/** Names longer than this are not compared: nobody mistypes a 300-character name, and comparing costs length squared. */
const MAX_COMPARED_LENGTH = 256;

/** Candidates close enough to `typed` to be what was meant, closest first. */
export function closest(typed: string, candidates: Iterable<string>, limit = 3): string[] {
  if (typed.length > MAX_COMPARED_LENGTH) return [];
  const threshold = Math.max(2, Math.floor(typed.length / 3));
  const lowerTyped = typed.toLowerCase();
  const close: { candidate: string; distance: number }[] = [];
  const taken = new Set<string>();
  for (const candidate of candidates) {
    // The distance is at least the difference in length: most candidates are ruled out without comparing.
    if (candidate.length > MAX_COMPARED_LENGTH || Math.abs(candidate.length - typed.length) > threshold) continue;
    const distance = editDistanceWithin(lowerTyped, candidate.toLowerCase(), threshold);
    if (distance > threshold || taken.has(candidate)) continue;
    taken.add(candidate);
    close.push({ candidate, distance });
  }
  return close
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

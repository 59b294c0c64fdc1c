/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Whether the first suggestion is strictly closer to what was typed than the runner-up: the clear fix. */
export function clearlyClosest(typed: string, suggestions: string[]): boolean {
  if (suggestions.length < 2) return suggestions.length === 1;
  return editDistance(typed.toLowerCase(), suggestions[0].toLowerCase()) < editDistance(typed.toLowerCase(), suggestions[1].toLowerCase());
}

/** Candidates close enough to `typed` to be what was meant, closest first. */
export function closest(typed: string, candidates: Iterable<string>, limit = 3): string[] {
  const threshold = Math.max(2, Math.floor(typed.length / 3));
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(typed.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= threshold)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

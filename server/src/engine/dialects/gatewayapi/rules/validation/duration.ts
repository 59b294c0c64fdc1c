/**
 * Gateway API's Duration (GEP-2257): one to four groups of up to five digits and a unit (h, m, s,
 * ms), the pattern the CRDs enforce. CEL's duration() reads it as Go does, adding up the groups in
 * any order ("1s1s" is two seconds).
 */
const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const GROUP = /([0-9]{1,5})(ms|h|m|s)/g;
const MILLISECONDS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** The duration in milliseconds, or undefined when the text is no Gateway API duration (the schema rule reports it). */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(GROUP)) total += Number(amount) * MILLISECONDS[unit];
  return total;
}

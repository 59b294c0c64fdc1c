/**
 * Whether an observed split agrees with the configured one: per version, the Wilson score interval
 * (95 %) of its observed share must contain its configured share. A version configured at 0 % (or
 * 100 %) is exact: a single answer from it (or from any other) is inconsistent.
 */

/** The two-sided 95 % quantile of the normal distribution. */
export const Z_95 = 1.959963984540054;

/** The Wilson score interval of `successes` out of `trials`, as fractions; [0, 1] without trials. */
export function wilsonInterval(successes: number, trials: number, z = Z_95): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const center = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // Exact at the ends, where rounding would leave 1e-17 off 0 or 1.
  return [successes === 0 ? 0 : Math.max(0, center - half), successes === trials ? 1 : Math.min(1, center + half)];
}

export interface VersionJudgement {
  name: string;
  /** Configured share in percent. */
  configured: number;
  /** Answers from this version. */
  observed: number;
  /** The 95 % interval of its share, in percent. */
  interval: [number, number];
  consistent: boolean;
}

/** Each version's observed count against its configured share, out of `answered` answers in all. */
export function judgeSplit(
  versions: readonly { name: string; percent: number }[],
  counts: Readonly<Record<string, number>>,
  answered: number,
): VersionJudgement[] {
  return versions.map(({ name, percent }) => {
    const observed = counts[name] ?? 0;
    const [low, high] = wilsonInterval(observed, answered);
    const share = percent / 100;
    const consistent = percent === 0 ? observed === 0 : percent === 100 ? observed === answered : low <= share && share <= high;
    return { name, configured: percent, observed, interval: [low * 100, high * 100], consistent };
  });
}

/** The live split test's pure parts: the plan from a stage view, reading answers, the statistics and the report. */
export {
  DEFAULT_PROBE_COMMAND,
  DEFAULT_PROBE_HOST,
  DEFAULT_PROBE_SETTINGS,
  isKubectl,
  probePlan,
  ProbePlan,
  ProbeSettings,
  ProbeTarget,
  splitCommand,
} from './plan';
export { answerPattern, DEFAULT_ANSWER_PATTERN, readAnswer, sample } from './answer';
export { judgeSplit, VersionJudgement, wilsonInterval } from './statistics';
export { probeReport, probeReportText, ProbeReport, ServiceObservation, ServiceReport } from './report';
export { PROBE_DEFAULTS, ProbeOptions, ResolvedProbeOptions, resolveProbeOptions } from './options';

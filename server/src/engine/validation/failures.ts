import { Finding, Rule } from '../rules/rule';
import { Workspace } from '../workspace';

/**
 * Where crashes inside the engine go: each is logged once per rule, file and error, and costs only
 * what it happened on (one rule's findings on one file, one build, one file's text).
 */
export class FailureLog {
  /** What was logged already: a crash repeats on every validation, its log line does not. */
  private readonly logged = new Set<string>();

  constructor(private readonly log: (message: string) => void) {}

  /** Runs one rule; a crash is logged with the rule and file, and costs only that rule's findings. */
  guard(rule: Rule, filePath: string, run: () => Finding[]): Finding[] {
    try {
      return run();
    } catch (error) {
      this.once(`rule|${rule.code}|${filePath}|${firstLine(error)}`, `Rule ${rule.code} failed on ${filePath}: ${describe(error)}`);
      return [];
    }
  }

  buildFailed(rootPath: string, error: unknown): void {
    this.once(`build|${rootPath}|${firstLine(error)}`, `Building ${rootPath} failed: ${describe(error)}`);
  }

  fixesFailed(finding: Finding, error: unknown): void {
    this.once(`fixes|${finding.code}|${finding.path}|${firstLine(error)}`, `Fixes of ${finding.code} failed on ${finding.path}: ${describe(error)}`);
  }

  /** Logs what went wrong reading or parsing files since the last call (each file then reads as empty or unreadable). */
  workspaceFailures(workspace: Workspace): void {
    for (const failure of workspace.takeFailures()) {
      const verb = failure.stage === 'reading' ? 'Reading' : 'Parsing';
      this.once(`${failure.stage}|${failure.path}|${firstLine(failure.error)}`, `${verb} ${failure.path} failed: ${describe(failure.error)}`);
    }
  }

  private once(key: string, message: string): void {
    if (this.logged.has(key)) return;
    // Bounded: a long session with ever new crashes logs them again rather than growing without end.
    if (this.logged.size >= 10_000) this.logged.clear();
    this.logged.add(key);
    this.log(message);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

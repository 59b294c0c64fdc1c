import { Finding, Rule, RuleOptionValues, SeveritySetting } from '../rules/rule';

export type { SeveritySetting };

/** What a user can set per file (VS Code resource scope, or a CLI config). */
export interface RuleSettings {
  /** Severity per rule code, overriding the rule's default. */
  rules?: Record<string, SeveritySetting>;
  /** Values of the options rules declare (`Rule.options`), by key; unset ones take their default. */
  options?: RuleOptionValues;
}

/** The severity of findings under a file's settings: the one set for the code, else the rule's default under its options. */
export class Severities {
  private readonly rulesByCode: ReadonlyMap<string, Rule>;

  constructor(rules: readonly Rule[]) {
    this.rulesByCode = new Map(rules.map((r) => [r.code, r]));
  }

  /** A finding's severity under the settings: off when its rule does not report it under its options. */
  ofFinding(finding: Finding, settings: RuleSettings): SeveritySetting {
    const rule = this.rulesByCode.get(finding.code);
    if (rule?.reported && !rule.reported(finding, optionValues(rule, settings))) return 'off';
    return this.of(finding.code, settings);
  }

  /** A rule code's severity under the settings; an unknown code's is 'error'. */
  of(code: string, settings: RuleSettings): SeveritySetting {
    const configured = settings.rules?.[code];
    if (configured) return configured;
    const rule = this.rulesByCode.get(code);
    if (!rule) return 'error';
    return rule.defaultSeverityWith?.(optionValues(rule, settings)) ?? rule.defaultSeverity;
  }
}

/** A rule's options under the settings, defaults filling what is not set. */
function optionValues(rule: Rule, settings: RuleSettings): RuleOptionValues {
  if (!rule.options) return {};
  return Object.fromEntries(rule.options.map((option) => [option.key, settings.options?.[option.key] ?? option.default]));
}

import { Connection } from 'vscode-languageserver';
import { RuleSettings, SeveritySetting } from '../engine';
import { pathToUri } from './convert';

export const SETTINGS_SECTION = 'meshKustomize';

const SEVERITY_VALUES = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);

/** Keeps only well-formed settings: a typo in settings.json must not crash or silence validation. */
export function normalizeSettings(raw: unknown): RuleSettings {
  const settings: RuleSettings = {};
  if (typeof raw !== 'object' || raw === null) return settings;
  const { rules, weightTotalMustBe100 } = raw as Record<string, unknown>;
  if (typeof rules === 'object' && rules !== null) {
    settings.rules = {};
    for (const [code, severity] of Object.entries(rules)) {
      if (typeof severity === 'string' && SEVERITY_VALUES.has(severity)) settings.rules[code] = severity as SeveritySetting;
    }
  }
  if (typeof weightTotalMustBe100 === 'boolean') settings.weightTotalMustBe100 = weightTotalMustBe100;
  return settings;
}

/**
 * Settings per file. Asked of the client with `workspace/configuration` when it offers that
 * (per resource, so folder settings apply); otherwise taken from initializationOptions and
 * `workspace/didChangeConfiguration` pushes.
 */
export class SettingsStore {
  private readonly perFile = new Map<string, RuleSettings>();
  private global: RuleSettings = {};

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
    initial: unknown,
  ) {
    this.global = normalizeSettings(initial);
  }

  get(filePath: string): RuleSettings {
    return this.perFile.get(filePath) ?? this.global;
  }

  /** Fetches, in one request, the settings of files not asked about yet. */
  async ensure(filePaths: string[]): Promise<void> {
    if (!this.canPull) return;
    const missing = filePaths.filter((p) => !this.perFile.has(p));
    if (missing.length === 0) return;
    const values: unknown[] = await this.connection.workspace.getConfiguration(
      missing.map((p) => ({ scopeUri: pathToUri(p), section: SETTINGS_SECTION })),
    );
    missing.forEach((p, i) => this.perFile.set(p, normalizeSettings(values[i])));
  }

  /** After `workspace/didChangeConfiguration`: forget what was fetched, or take the pushed values. */
  changed(pushed: unknown): void {
    this.perFile.clear();
    if (!this.canPull && typeof pushed === 'object' && pushed !== null) {
      this.global = normalizeSettings((pushed as Record<string, unknown>)[SETTINGS_SECTION]);
    }
  }
}

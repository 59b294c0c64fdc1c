import { Connection } from 'vscode-languageserver';
import { allRules, DEFAULT_MAX_FILE_BYTES, isOptionValue, SeveritySetting } from '../engine';
import { MeshKustomizeSettings, ServerSettings, SETTINGS_SECTION } from '../settings';
import { pathToUri } from './convert';

const SEVERITY_VALUES = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);

/** Keeps only well-formed settings: a typo in settings.json must not crash or silence validation. */
export function normalizeSettings(raw: unknown): ServerSettings {
  const settings: ServerSettings = {};
  if (typeof raw !== 'object' || raw === null) return settings;
  // Typed as written, but read as unknown: anything may come from settings.json.
  const { rules, inlayHints, leavePlainSchemaProblemsToRedHatYaml } = raw as { [K in keyof MeshKustomizeSettings]?: unknown };
  if (typeof inlayHints === 'object' && inlayHints !== null && typeof (inlayHints as Record<string, unknown>).weights === 'boolean') {
    settings.inlayHintsWeights = (inlayHints as Record<string, boolean>).weights;
  }
  if (typeof leavePlainSchemaProblemsToRedHatYaml === 'boolean') settings.leavePlainSchemaProblemsToRedHatYaml = leavePlainSchemaProblemsToRedHatYaml;
  if (typeof rules === 'object' && rules !== null) {
    settings.rules = {};
    for (const [code, severity] of Object.entries(rules)) {
      if (typeof severity === 'string' && SEVERITY_VALUES.has(severity)) settings.rules[code] = severity as SeveritySetting;
    }
  }
  // The options rules declare are settings of their own (`meshKustomize.weightTotalMustBe100`).
  for (const option of allRules.flatMap((rule) => rule.options ?? [])) {
    const value = optionValueIn(raw as Record<string, unknown>, option.key);
    if (isOptionValue(option, value)) settings.options = { ...settings.options, [option.key]: value };
  }
  return settings;
}

/**
 * A dotted key's value (`gatewayApi.profile`): VS Code answers `workspace/configuration` with nested
 * objects, while a client that passes settings through may write the key flat.
 */
function optionValueIn(section: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(section, key)) return section[key];
  let value: unknown = section;
  for (const part of key.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * `meshKustomize.maxFileSize`: files larger than this many megabytes (MiB) are not read. A number
 * above zero; anything else means the default.
 */
export function maxFileBytesOf(raw: unknown): number {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).maxFileSize : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value * 1024 * 1024) : DEFAULT_MAX_FILE_BYTES;
}

/**
 * Settings per file. Asked of the client with `workspace/configuration` when it offers that
 * (per resource, so folder settings apply); otherwise taken from initializationOptions and
 * `workspace/didChangeConfiguration` pushes.
 */
export class SettingsStore {
  private readonly perFile = new Map<string, ServerSettings>();
  private global: ServerSettings = {};
  /**
   * Whether the Red Hat YAML extension runs beside us (the client says so), and which files are open.
   * It validates open kustomization.yaml/.yml files against the schema we contribute
   * (`contributes.yamlValidation`); those files' plain schema problems are then left to it, unless
   * the user set the `schema` rule or `leavePlainSchemaProblemsToRedHatYaml: false`. App Mesh
   * manifests cannot be matched by file name, so their schema problems stay ours.
   */
  redHatYaml = { active: false, isOpen: (_filePath: string): boolean => false };
  /** The size limit for the whole workspace (it decides what is read at all, so it is not per file). */
  private maxBytes: number;
  private maxBytesPulled = false;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
    initial: unknown,
  ) {
    this.global = normalizeSettings(initial);
    this.maxBytes = maxFileBytesOf(initial);
  }

  /** The file size limit in bytes, asked of the client once after each configuration change when it can answer. */
  async maxFileBytes(): Promise<number> {
    if (this.canPull && !this.maxBytesPulled) {
      const [value] = (await this.connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }])) as unknown[];
      this.maxBytes = maxFileBytesOf(value);
      this.maxBytesPulled = true;
    }
    return this.maxBytes;
  }

  get(filePath: string): ServerSettings {
    const settings = this.perFile.get(filePath) ?? this.global;
    if (settings.leavePlainSchemaProblemsToRedHatYaml === false || settings.rules?.schema !== undefined) return settings;
    if (!this.redHatYamlValidates(filePath) || !this.redHatYaml.isOpen(filePath)) return settings;
    return { ...settings, rules: { ...settings.rules, schema: 'off' } };
  }

  /** Whether Red Hat YAML runs and knows the file's schema (ours, through `yamlValidation`): it then offers that schema's completion and hovers too. */
  redHatYamlValidates(filePath: string): boolean {
    return this.redHatYaml.active && /(^|[\\/])kustomization\.ya?ml$/.test(filePath);
  }

  /** A file's settings, asked of the client first when it can answer. */
  async of(filePath: string): Promise<ServerSettings> {
    await this.ensure([filePath]);
    return this.get(filePath);
  }

  /** Fetches, in one request, the settings of files not asked about yet. */
  async ensure(filePaths: string[]): Promise<void> {
    if (!this.canPull) return;
    const missing = filePaths.filter((p) => !this.perFile.has(p));
    if (missing.length === 0) return;
    const values: unknown[] = await this.connection.workspace.getConfiguration(missing.map((p) => ({ scopeUri: pathToUri(p), section: SETTINGS_SECTION })));
    missing.forEach((p, i) => this.perFile.set(p, normalizeSettings(values[i])));
  }

  /** After `workspace/didChangeConfiguration`: forget what was fetched, or take the pushed values. */
  changed(pushed: unknown): void {
    this.perFile.clear();
    this.maxBytesPulled = false;
    if (!this.canPull && typeof pushed === 'object' && pushed !== null) {
      const section = (pushed as Record<string, unknown>)[SETTINGS_SECTION];
      this.global = normalizeSettings(section);
      this.maxBytes = maxFileBytesOf(section);
    }
  }
}

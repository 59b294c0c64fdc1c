/**
 * The settings of the `meshKustomize` section, shared by the VS Code client and the server (types
 * only, so the client's bundle carries none of the engine). package.json's `contributes.configuration`
 * declares the same keys for VS Code.
 */
import type { RuleSettings, SeveritySetting } from './engine';

/** The configuration section, as asked with `workspace/configuration`; also the client's id, so VS Code reads `meshKustomize.trace.server`. */
export const SETTINGS_SECTION = 'meshKustomize';

/** The section as a user writes it in settings.json (and as `workspace/configuration` answers it); unchecked. */
export interface MeshKustomizeSettings {
  rules?: Record<string, SeveritySetting>;
  weightTotalMustBe100?: boolean;
  /** Where the VPC Lattice rules apply (`auto` by the Gateways found, `lattice`, `generic`). */
  gatewayApi?: { profile?: 'auto' | 'lattice' | 'generic' };
  inlayHints?: { weights?: boolean };
  leavePlainSchemaProblemsToRedHatYaml?: boolean;
  /** Megabytes (MiB); larger files are not read. For the whole workspace, not per file. */
  maxFileSize?: number;
  trace?: { server?: 'off' | 'messages' | 'verbose' };
}

/** The settings that apply to one file, checked: the rules' settings, and those of the server's own features. */
export interface ServerSettings extends RuleSettings {
  /** `meshKustomize.inlayHints.weights`: the effective percentage after each weight (default true). */
  inlayHintsWeights?: boolean;
  /** `meshKustomize.leavePlainSchemaProblemsToRedHatYaml` (default true): see `SettingsStore.redHatYaml`. */
  leavePlainSchemaProblemsToRedHatYaml?: boolean;
}

/**
 * What the VS Code client and the server say to each other beyond standard LSP: command ids and
 * typed custom requests, in one place (shared by both sides). Any LSP client can use them.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { DiffError, KustomizationDiff, MigrationTarget, StageTarget, StageView } from './engine';
export type { DiffError, KustomizationDiff };
export type { StageView };
export type { MigrationTarget };

/** A stage a kustomization can be moved to: the engine's own type (a type only, so the client bundles none of the engine). */
export type { StageTarget };

/** Server commands, run with `workspace/executeCommand`; their edits come back as `workspace/applyEdit`. */
export const ServerCommands = {
  /** Arguments: [MoveStageArguments]. Result: CommandResult. */
  moveStage: 'meshKustomize.server.moveStage',
  /** Arguments: [{ uri }]. Shows the stage and why (the label lens runs it). Result: CommandResult. */
  showStage: 'meshKustomize.server.showStage',
  /** Arguments: [SetCanaryWeightArguments]. Result: CommandResult. */
  setCanaryWeight: 'meshKustomize.server.setCanaryWeight',
  /** Arguments: [MigrateArguments]. Result: CommandResult, with the report as markdown. */
  migrate: 'meshKustomize.server.migrate',
} as const;

export interface MoveStageArguments {
  uri: string;
  /** The document version the move was computed for; a move for an older version is refused. */
  version: number | null;
  target: StageTarget;
}

export interface SetCanaryWeightArguments {
  uri: string;
  version: number | null;
  percent: number;
  /** Create a router file with that split, from the current one, when none exists. */
  create: boolean;
}

export interface MigrateArguments {
  /** The App Mesh kustomization, or a file of its directory. */
  uri: string;
  target: MigrationTarget;
  /** Only report what would be written (status `preview`), so that the user can look before anything is created. */
  dryRun?: boolean;
  /**
   * For clients that cannot create files through a workspace edit: the server writes the new files
   * itself (none of which exists), on this explicit second call.
   */
  write?: boolean;
}

/** Client-side commands a client offers (initializationOptions.clientCommands), which code actions may name instead of server commands. */
export const ClientCommands = {
  /** Arguments: [{ uri, target }]: runs the migration and shows its report. */
  migrate: 'meshKustomize.migrate',
  /** No arguments: a quick pick of every move of the active kustomization (the "More…" lens). */
  showMoves: 'meshKustomize.showStageMoves',
  /** Arguments: [{ uri }] or none (the active editor's): opens the rollout view of that file's kustomization. */
  showRollout: 'meshKustomize.showRollout',
} as const;

export interface CommandResult {
  status: 'applied' | 'refused' | 'missing' | 'preview';
  message: string;
  /** For `missing` canary weights: the router file that would be created, and from which. */
  proposal?: { file: string; template: string };
  /** For a migration: what was written and what does not carry over, as markdown. */
  report?: string;
}

export interface StageMoveInfo {
  title: string;
  target: StageTarget;
}

export interface StageInfo {
  uri: string;
  version: number | null;
  /** "Stage: canary 5 % — jazz 95/5, metal 95/5" */
  label: string;
  stage: StageTarget | null;
  moves: StageMoveInfo[];
}

/** The rollout of a file's kustomization (services, versions, shares, the path, the moves); null without one. Any client may ask. */
export const StageViewRequest = new RequestType<{ uri: string }, StageView | null, void>('meshKustomize/stageView');

/** A problem of a kustomization's tree, for a list that links to its line. */
export interface RolloutProblem {
  uri: string;
  /** Zero-based, as in LSP. */
  line: number;
  character: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

/** What the rollout view shows: the rollout, the document version its moves are for, and the tree's problems (errors first). */
export interface RolloutInfo {
  /** The kustomization's URI, as the client spells it when it is open. */
  uri: string;
  version: number | null;
  view: StageView;
  problems: RolloutProblem[];
}

/** The rollout view of a file's kustomization; null without one. Any client may ask. */
export const RolloutRequest = new RequestType<{ uri: string }, RolloutInfo | null, void>('meshKustomize/rollout');

/** Every kustomization with a rollout stage, the one of `activeUri`'s directory first. */
export const StagesRequest = new RequestType<{ activeUri?: string }, StageInfo[], void>('meshKustomize/stages');

/**
 * Initialization options the VS Code client sends (other clients may too): whether the Red Hat YAML
 * extension (redhat.vscode-yaml) runs beside us, so that plain schema problems of the files it
 * validates with our schemas are left to it.
 */
export interface InitializationOptions {
  /** For clients without `workspace/configuration`: the `meshKustomize` section (MeshKustomizeSettings), checked before use. */
  settings?: unknown;
  redHatYamlActive?: boolean;
  /** The client-side commands (ClientCommands) the client registered. */
  clientCommands?: string[];
}

/** The client tells the server when the Red Hat YAML extension is enabled or disabled. */
export const RedHatYamlNotification = new NotificationType<{ active: boolean }>('meshKustomize/redHatYaml');

/** What a kustomization's rollout changed since HEAD: what the rollout view shows as "uncommitted: …". */
export interface TrafficDiffInfo {
  /** HEAD's commit, abbreviated. */
  base: string;
  /** "canary 5 % → canary 95 %", "no traffic change". */
  summary: string;
  diff: KustomizationDiff;
  introduced: DiffError[];
  fixed: DiffError[];
}

/**
 * The change of a file's kustomization between HEAD and what the server sees now (unsaved edits
 * included); null outside a git repository, before the first commit, or without a rollout.
 */
export const TrafficDiffRequest = new RequestType<{ uri: string }, TrafficDiffInfo | null, void>('meshKustomize/trafficDiff');
// The live split test (issue 16, part 3): the server runs the requests for every client.
import type { ProbeOptions, ProbeReport } from './engine';
import type { WorkDoneProgressParams } from 'vscode-languageserver-protocol';
export type { ProbeOptions, ProbeReport };

export interface ProbeParams extends WorkDoneProgressParams {
  /** The kustomization, or a file of its directory. */
  uri: string;
  /** The `meshKustomize.probe` settings (or any client's own), checked by the server. */
  options?: ProbeOptions;
  /** Only plan and name the kube context, so that the user can confirm before anything is sent. */
  dryRun?: boolean;
}

export interface ProbeResult {
  /** Why nothing can be sent (no router enabled, a bad option); then nothing else is set. */
  error?: string;
  /** "Send 200 requests to metal, jazz in namespace prod through kube context X?" */
  question?: string;
  /** The command of the first service, for people to see what runs: "kubectl exec -n prod deploy/dj -c dj -- curl -s http://metal…". */
  command?: string;
  /** "kube context X", "kubectl has no current context (…)"; undefined when the program is not kubectl. */
  context?: string;
  /** The report of the run (partial when cancelled); undefined for a dry run. */
  report?: ProbeReport;
  /** The report as text lines, for an output channel. */
  text?: string[];
}

/**
 * Sends each service of a kustomization's stage its requests and compares the observed split with the
 * configured one. Reports work-done progress on `workDoneToken` to clients that announce
 * window.workDoneProgress; a cancelled request answers with what came back so far.
 */
export const ProbeRequest = new RequestType<ProbeParams, ProbeResult, void>('meshKustomize/probe');

/**
 * The engine as one service: what the language server and the CLI ask of a workspace (diagnostics,
 * fixes, stages and moves, navigation), in plain data. They import this and nothing deeper, so the
 * engine's modules can change behind it.
 */
import * as path from 'node:path';
import { StageView, stageView } from './stageView';
import { MigrationPlan, MigrationTarget, planMigration } from './dialects/appmesh/migration';
import { dialects } from './dialects';
import { CodeFix, FileEdit } from './fixes';
import { isRemoteEntry, Kustomization } from './kustomization';
import {
  completionsAt,
  CompletionSuggestion,
  definitionsOf,
  documentLinks,
  EntryLink,
  entryAt,
  entryLink,
  FileLocation,
  hoverAt,
  HoverInfo,
  meshSymbolAt,
  navigationModel,
  NavigationModel,
  outline,
  OutlineSymbol,
  prepareRename,
  referencesOf,
  rename,
  RenameResult,
  SplitLens,
  splitLenses,
  WeightHint,
  weightHints,
} from './navigation';
import { Rule } from './rules/rule';
import {
  canaryRouterProposal,
  moveRefusal,
  moveTitle,
  naturalOrder,
  planMove,
  reachableTargets,
  RouterProposal,
  StageModel,
  stageModel,
  StageTarget,
} from './stages';
import { Position, Range } from './text';
import { Diagnostic, RuleSettings, Validator } from './validator';
import { Workspace } from './workspace';

export interface MeshServiceOptions {
  /** The rules to run (default: all). */
  rules?: readonly Rule[];
  /** Where a crash inside a rule or on a file is reported, once per rule, file and error; the rest goes on. */
  log?: (message: string) => void;
}

/** Settings per file: a function, so a caller can fetch them for exactly the files that have findings. */
export type SettingsFor = (filePath: string) => RuleSettings;

/**
 * The outcome of one check: the files with findings, then their diagnostics under each file's
 * settings. Two steps, so that a caller can fetch the settings of those files (asynchronously, say)
 * in between.
 */
export interface CheckResult {
  /** The files that have findings (diagnostics may still be off by settings). */
  readonly files: string[];
  /** Diagnostics by file, sorted by position, with each file's settings applied; files without any are left out. */
  diagnostics(settingsFor?: SettingsFor): Map<string, Diagnostic[]>;
}

/** A move offered from a stage. */
export interface StageMoveOffer {
  title: string;
  target: StageTarget;
}

/** Where a kustomization's rollout stands and where it can go. */
export interface KustomizationStage {
  /** The kustomization file. */
  path: string;
  /** "Stage: canary 5 % — jazz 95/5, metal 95/5" */
  label: string;
  stage: StageTarget | undefined;
  moves: StageMoveOffer[];
  /** The next move on the rollout path (blue → blue/green → canary → green → green final) between the same two versions. */
  next: StageMoveOffer | undefined;
  /** The move back to the old version alone, when the stage is past it. */
  rollBack: StageMoveOffer | undefined;
  /** The line of its `resources` key (0 without one): where the stage is shown in the file. */
  line: number;
}

/** A move planned against the workspace as it is now. */
export interface PlannedMove {
  title: string;
  /** The router file the move enables. */
  routerFile: string;
  changes: FileEdit[];
}

/** What a definition request at a position finds. */
export type DefinitionAnswer =
  /** In a kustomization: the entry under the cursor and where it leads, if anywhere. */
  | { kind: 'entry'; link: EntryLink | undefined }
  /** On a mesh object's name: where it is written and the objects it names. */
  | { kind: 'symbol'; origin: Range; definitions: DefinitionTarget[] }
  | undefined;

export interface DefinitionTarget extends FileLocation {
  /** The whole document of the object defined there. */
  documentRange: Range;
}

export interface MeshService {
  readonly workspace: Workspace;

  /** Checks every file and kustomization build, reusing the results of what did not change. */
  check(): CheckResult;
  /**
   * A quick check of a few files (those open in the editor) before the whole workspace is checked:
   * their file rules, and the build of their own directory's kustomization. check() has the last word.
   */
  checkProvisionally(filePaths: readonly string[]): CheckResult;
  /** Reads and parses files ahead of a check, so that a cold start can be sliced. */
  prepare(filePaths: readonly string[]): void;
  /** The root kustomizations of the last check: what `kubectl kustomize` would build. */
  roots(): string[];
  /** The files the last check checked (kustomizations, mesh manifests, files builds read). */
  checkedFiles(): string[];

  /** Quick fixes for a diagnostic, computed against the workspace as it is now. */
  fixes(diagnostic: Diagnostic): CodeFix[];
  /** The safe fixes of a file's diagnostics together, none overlapping another ("fix all"). */
  fixAll(filePath: string, diagnostics: Diagnostic[]): CodeFix | undefined;

  /** The stage of the kustomization a file belongs to (itself, or its directory's); undefined without routers. */
  stageOf(filePath: string): KustomizationStage | undefined;
  /** Every kustomization with a rollout stage. */
  stages(): KustomizationStage[];
  /** The rollout of a file's kustomization as people look at it: services, versions, shares, the path and the moves. */
  stageView(filePath: string): StageView | undefined;
  /** Every kustomization's rollout view (those with a stage model), in one pass. */
  stageViews(): StageView[];
  /**
   * The files of a file's kustomization tree: the kustomization, every file its entries name (enabled
   * or commented out) and, through directory entries, their kustomizations' files. Where its problems are.
   */
  rolloutFiles(filePath: string): string[];
  /**
   * The namespace a file's rollout runs in, as written: the kustomization's `namespace`, else the one
   * the enabled router files' objects name; undefined when neither says (or without a rollout).
   */
  rolloutNamespace(filePath: string): { namespace: string; source: 'kustomization' | 'router' } | undefined;
  /** The edits that move the file's kustomization to a stage; undefined when no router file takes it there. */
  planMove(filePath: string, target: StageTarget): PlannedMove | undefined;
  /**
   * The migration of the App Mesh rollout of a file's kustomization (itself, or its directory's) to a
   * successor API (with a refusal when there is nothing to migrate); undefined outside a kustomization.
   */
  planMigration(filePath: string, target: MigrationTarget, outDir?: string): MigrationPlan | undefined;
  /** Why planMove finds no move to a stage, for people. */
  moveRefusal(filePath: string, target: StageTarget): string;
  /** The stage a canary percentage means: 0 keeps the new version for testing only, 100 is green; undefined outside 0..100. */
  canaryTarget(percent: number): StageTarget | undefined;
  /** A router file to create for a canary split no router file has, made from the current one. */
  canaryRouterProposal(filePath: string, percent: number): RouterProposal | undefined;

  /** Links for the entries of a kustomization file. */
  documentLinks(filePath: string): EntryLink[];
  definitionAt(filePath: string, position: Position): DefinitionAnswer;
  referencesAt(filePath: string, position: Position, includeDeclaration: boolean): FileLocation[];
  prepareRename(filePath: string, position: Position): { range: Range; placeholder: string } | undefined;
  rename(filePath: string, position: Position, newName: string): RenameResult | undefined;
  /** `schema: false` leaves out what the file's schema says (another extension shows it). */
  hoverAt(filePath: string, position: Position, options: { schema: boolean }): HoverInfo | undefined;
  completionsAt(filePath: string, position: Position, options: { schema: boolean }): CompletionSuggestion[];
  /** The effective share of traffic after each weight of a manifest (none in kustomizations). */
  weightHints(filePath: string, range: Range): WeightHint[];
  /** Where each route of a manifest sends its traffic, where the API's weights are relative (none in kustomizations). */
  splitLenses(filePath: string): SplitLens[];
  outline(filePath: string): OutlineSymbol[];
  /** The kinds whose objects can be renamed with every reference to them (those references name). */
  renamableKinds(): string[];
}

export function createMeshService(workspace: Workspace, options: MeshServiceOptions = {}): MeshService {
  const validator = new Validator(workspace, options);
  const navigation = (): NavigationModel => navigationModel(workspace, () => validator.builds());

  const checkResult = (byFile: ReturnType<Validator['findings']>): CheckResult => ({
    files: [...byFile.keys()],
    diagnostics: (settingsFor) => validator.diagnostics(settingsFor, byFile),
  });

  /** The kustomization a file belongs to: itself, or its directory's. */
  const kustomizationOf = (filePath: string) => {
    const kustomizationPath = workspace.file(filePath)?.isKustomization ? filePath : workspace.kustomizationIn(path.dirname(filePath));
    return kustomizationPath ? workspace.file(kustomizationPath)?.kustomization : undefined;
  };

  const stageModelOf = (filePath: string): StageModel | undefined => {
    const kustomization = kustomizationOf(filePath);
    return kustomization && stageModel(workspace, kustomization);
  };

  const stageModels = (): StageModel[] =>
    workspace.kustomizationFiles().flatMap((file) => {
      const kustomization = workspace.file(file)?.kustomization;
      return (kustomization && stageModel(workspace, kustomization)) || [];
    });

  const stageOfModel = (model: StageModel): KustomizationStage => {
    const moves = reachableTargets(model).map((target) => ({ title: moveTitle(model, target), target }));
    let { next, rollBack } = pathMoves(model.state.stage, moves);
    // In no stage, the move that keeps the enabled router and brings up what it routes to repairs the tree.
    const enabled = model.routerFiles.filter((f) => f.entry?.enabled);
    if (!model.state.stage && enabled.length === 1) next = moves.find((m) => planMove(model, m.target)?.routerFile === enabled[0].path);
    if (rollBack === next) rollBack = undefined;
    return {
      path: model.kustomization.path,
      label: model.state.label,
      stage: model.state.stage,
      moves,
      next,
      rollBack,
      line: model.kustomization.keys.get('resources')?.start.line ?? 0,
    };
  };

  return {
    workspace,

    check: () => checkResult(validator.findings()),
    checkProvisionally: (filePaths) => checkResult(validator.provisionalFindings(filePaths)),
    prepare(filePaths) {
      for (const filePath of filePaths) {
        const file = workspace.file(filePath);
        if (file?.isKustomization) void file.kustomization;
        else if (file?.mentionsMesh) void file.objects;
      }
    },
    roots: () => validator.roots().map((k) => k.path),
    checkedFiles: () => validator.checkedFiles(),

    fixes: (diagnostic) => validator.fixes(diagnostic),
    fixAll: (filePath, diagnostics) => validator.fixAll(filePath, diagnostics),

    stageOf(filePath) {
      const model = stageModelOf(filePath);
      return model && stageOfModel(model);
    },
    stages() {
      return stageModels().map(stageOfModel);
    },
    stageViews() {
      return stageModels().map((model) => {
        const stage = stageOfModel(model);
        return stageView(model, stage.moves, stage);
      });
    },
    planMove(filePath, target) {
      const model = stageModelOf(filePath);
      const move = model && planMove(model, target);
      return move && { title: move.title, routerFile: move.routerFile, changes: [{ path: model.kustomization.path, edits: move.edits }] };
    },
    stageView(filePath) {
      const model = stageModelOf(filePath);
      const stage = model && stageOfModel(model);
      return model && stage && stageView(model, stage.moves, stage);
    },
    rolloutFiles(filePath) {
      const files = new Set<string>();
      const visit = (kustomization: Kustomization): void => {
        if (files.has(kustomization.path)) return;
        files.add(kustomization.path);
        const directory = path.dirname(kustomization.path);
        for (const entry of kustomization.entries) {
          if (isRemoteEntry(entry.value)) continue;
          const target = path.resolve(directory, entry.value);
          const kind = workspace.kindOf(target);
          if (kind === 'file') files.add(target);
          else if (kind === 'directory') {
            const child = workspace.kustomizationIn(target);
            const childKustomization = child ? workspace.file(child)?.kustomization : undefined;
            if (childKustomization) visit(childKustomization);
          }
        }
      };
      const kustomization = kustomizationOf(filePath);
      if (kustomization) visit(kustomization);
      return [...files];
    },
    rolloutNamespace(filePath) {
      const model = stageModelOf(filePath);
      if (!model) return undefined;
      if (model.kustomization.namespace) return { namespace: model.kustomization.namespace, source: 'kustomization' };
      const named = model.routerFiles
        .filter((f) => f.entry?.enabled)
        .flatMap((f) => workspace.file(f.path)?.objects ?? [])
        .find((o) => o.namespace);
      return named?.namespace ? { namespace: named.namespace, source: 'router' } : undefined;
    },
    planMigration(filePath, target, outDir) {
      const kustomization = kustomizationOf(filePath);
      return kustomization && planMigration(workspace, kustomization, target, outDir);
    },
    moveRefusal(filePath, target) {
      const model = stageModelOf(filePath);
      return model ? moveRefusal(model, target) : `${path.basename(filePath)} has no rollout stages`;
    },
    canaryTarget(percent) {
      if (!Number.isInteger(percent) || percent < 0 || percent > 100) return undefined;
      return percent === 0 ? { kind: 'blue-green' } : percent === 100 ? { kind: 'green' } : { kind: 'canary', percent };
    },
    canaryRouterProposal(filePath, percent) {
      const model = stageModelOf(filePath);
      return model && canaryRouterProposal(workspace, model, percent);
    },

    documentLinks: (filePath) => documentLinks(navigation(), filePath),
    definitionAt(filePath, position) {
      const model = navigation();
      const kustomization = workspace.file(filePath)?.kustomization;
      if (kustomization) {
        const entry = entryAt(kustomization, position);
        return { kind: 'entry', link: entry && entryLink(model, kustomization, entry) };
      }
      const symbol = meshSymbolAt(model, filePath, position);
      if (!symbol) return undefined;
      const definitions = definitionsOf(model, symbol).map((d) => {
        const contents = d.object.doc.contents;
        const documentRange = d.scoped?.entryRange ?? (contents ? d.object.lines.range(contents.start, contents.end) : d.range);
        return { path: d.path, range: d.range, documentRange };
      });
      return { kind: 'symbol', origin: symbol.range, definitions };
    },
    referencesAt(filePath, position, includeDeclaration) {
      const model = navigation();
      const symbol = meshSymbolAt(model, filePath, position);
      return symbol ? referencesOf(model, symbol, includeDeclaration) : [];
    },
    prepareRename: (filePath, position) => prepareRename(navigation(), filePath, position),
    rename: (filePath, position, newName) => rename(navigation(), filePath, position, newName),
    hoverAt: (filePath, position, { schema }) => hoverAt(navigation(), filePath, position, { schema }),
    completionsAt: (filePath, position, { schema }) => completionsAt(navigation(), filePath, position, { schema }),
    weightHints(filePath, range) {
      const file = workspace.file(filePath);
      return file && !file.isKustomization ? weightHints(file, range) : [];
    },
    splitLenses(filePath) {
      const file = workspace.file(filePath);
      return file && !file.isKustomization ? splitLenses(file) : [];
    },
    renamableKinds: () => [...new Set(dialects.flatMap((d) => [...d.namedKinds, ...(d.scopedNames?.kinds ?? [])]))],
    outline(filePath) {
      const file = workspace.file(filePath);
      return file ? outline(file) : [];
    },
  };
}

/** Where each kind of stage stands on the rollout path. */
const PATH_ORDER: Record<StageTarget['kind'], number> = { blue: 0, 'blue-green': 1, canary: 2, green: 3, 'green-final': 4 };

function pathRank(target: StageTarget): number {
  return PATH_ORDER[target.kind] * 1000 + (target.percent ?? 0);
}

/** The next move on the rollout path from a stage, between the same two versions, and the roll back to blue. */
function pathMoves(current: StageTarget | undefined, moves: StageMoveOffer[]): { next: StageMoveOffer | undefined; rollBack: StageMoveOffer | undefined } {
  if (!current) return { next: undefined, rollBack: undefined };
  const samePair = (t: StageTarget): boolean => t.from === current.from && (t.to === current.to || t.kind === 'blue');
  const ahead = (m: StageMoveOffer): boolean => pathRank(m.target) > pathRank(current);
  const byRank = (a: StageMoveOffer, b: StageMoveOffer): number => pathRank(a.target) - pathRank(b.target);
  // Past the last stage between these two versions, the path goes on towards a newer one (v1 → v2 at 20 %, then v1 → v3 at 50 %).
  const newer = (t: StageTarget): boolean => current.to !== undefined && t.to !== undefined && naturalOrder(t.to, current.to) > 0;
  const next = moves.filter((m) => samePair(m.target) && ahead(m)).sort(byRank)[0] ?? moves.filter((m) => newer(m.target) && ahead(m)).sort(byRank)[0];
  const rollBack =
    current.kind === 'blue' ? undefined : moves.find((m) => m.target.kind === 'blue' && (current.from === undefined || m.target.from === current.from));
  return { next, rollBack: rollBack === next ? undefined : rollBack };
}

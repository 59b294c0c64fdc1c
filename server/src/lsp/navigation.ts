import {
  ClientCapabilities,
  CompletionItem,
  CompletionItemKind,
  CompletionItemTag,
  CompletionList,
  DocumentLink,
  DocumentSymbol,
  InlayHint,
  Location,
  LocationLink,
  LSPErrorCodes,
  MarkupContent,
  MarkupKind,
  Range,
  ResponseError,
  ServerCapabilities,
  SymbolInformation,
  SymbolKind,
} from 'vscode-languageserver';
import { CompletionKind, CompletionSuggestion, OutlineKind, OutlineSymbol } from '../engine';
import { ServerContext } from './context';
import { pathToUri, uriToPath } from './convert';
import { ServerSettings } from '../settings';
import { toWorkspaceEdit } from './workspaceEdit';

/** What the client announced for the navigation features; each falls back to a plainer form without it. */
export interface NavigationSupport {
  hierarchicalSymbols: boolean;
  definitionLinks: boolean;
  /** Hover and completion documentation: Markdown, plain MarkupContent, or (for clients that name no format) a plain string. */
  hoverFormat: 'markdown' | 'plaintext' | 'string';
  completionFormat: 'markdown' | 'plaintext' | 'string';
  /** Completion item kinds the client knows; undefined means the original set (Text to Reference). */
  completionKinds: Set<number> | undefined;
  completionTags: boolean;
  completionDeprecated: boolean;
  prepareRename: boolean;
  linkTooltips: boolean;
  inlayHintRefresh: boolean;
}

export function navigationSupport(capabilities: ClientCapabilities): NavigationSupport {
  const text = capabilities.textDocument ?? {};
  const item = text.completion?.completionItem;
  const kinds = text.completion?.completionItemKind?.valueSet;
  return {
    hierarchicalSymbols: text.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    definitionLinks: text.definition?.linkSupport === true,
    hoverFormat: formatOf(text.hover?.contentFormat),
    completionFormat: formatOf(item?.documentationFormat),
    completionKinds: kinds ? new Set(kinds) : undefined,
    completionTags: item?.tagSupport?.valueSet?.includes(CompletionItemTag.Deprecated) === true,
    completionDeprecated: item?.deprecatedSupport === true,
    prepareRename: text.rename?.prepareSupport === true,
    linkTooltips: text.documentLink?.tooltipSupport === true,
    inlayHintRefresh: capabilities.workspace?.inlayHint?.refreshSupport === true,
  };
}

function formatOf(formats: MarkupKind[] | undefined): NavigationSupport['hoverFormat'] {
  if (formats?.includes(MarkupKind.Markdown)) return 'markdown';
  return formats?.includes(MarkupKind.PlainText) ? 'plaintext' : 'string';
}

/** Markdown as the client takes it. */
function content(markdown: string, format: NavigationSupport['hoverFormat']): MarkupContent | string {
  if (format === 'markdown') return { kind: MarkupKind.Markdown, value: markdown };
  return format === 'plaintext' ? { kind: MarkupKind.PlainText, value: plain(markdown) } : plain(markdown);
}

/** The capabilities of the navigation features: all are served; prepareRename only to clients that ask for it. */
export function navigationCapabilities(support: NavigationSupport): ServerCapabilities {
  return {
    documentLinkProvider: { resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: support.prepareRename ? { prepareProvider: true } : true,
    hoverProvider: true,
    inlayHintProvider: { resolveProvider: false },
    completionProvider: { triggerCharacters: ['/'], resolveProvider: false },
    documentSymbolProvider: { label: 'Mesh Kustomize' },
  };
}

export interface NavigationFeatures {
  /** After a configuration change: inlay hints may be switched on or off. */
  configurationChanged(): void;
}

/**
 * Links, definitions, references, rename, hover, inlay hints, completion and outline: each handler
 * asks the engine's navigation model (the same workspace as the diagnostics) and translates.
 */
export function registerNavigation(
  context: ServerContext,
  options: {
    settingsOf: (filePath: string) => Promise<ServerSettings>;
    /** Files whose schema completion and key hovers Red Hat YAML gives already: ours would repeat them. */
    schemaLeftToRedHatYaml: (filePath: string) => boolean;
  },
): NavigationFeatures {
  const { settingsOf, schemaLeftToRedHatYaml } = options;
  const { connection, service } = context;
  const support = context.support.navigation;
  const logged = new Set<string>();
  /** A request that fails answers as if nothing were there; the failure is logged once. */
  const guard = async <T>(what: string, uri: string, fallback: T, run: (filePath: string) => T | Promise<T>): Promise<T> => {
    const filePath = uriToPath(uri);
    if (!filePath) return fallback;
    try {
      return await run(filePath);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      const key = `${what}|${(error as Error).message}`;
      if (!logged.has(key)) {
        logged.add(key);
        connection.console.error(`${what} failed on ${filePath}: ${(error as Error).stack ?? String(error)}`);
      }
      return fallback;
    }
  };
  const uriOf = context.uriOf;

  connection.onDocumentLinks((params) =>
    guard('Document links', params.textDocument.uri, [] as DocumentLink[], (filePath) =>
      service.documentLinks(filePath).map((link) => ({
        range: link.range,
        target: pathToUri(link.target),
        ...(support.linkTooltips ? { tooltip: link.tooltip } : {}),
      })),
    ),
  );

  connection.onDefinition((params) =>
    guard('Definition', params.textDocument.uri, null as Location[] | LocationLink[] | null, (filePath) => {
      const answer = service.definitionAt(filePath, params.position);
      const links = support.definitionLinks;
      if (answer?.kind === 'entry') {
        const { link } = answer;
        // A directory without a kustomization file is a link (the editor reveals it), not a definition.
        if (!link || link.targetIsDirectory) return null;
        const start = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        return links
          ? [{ originSelectionRange: link.range, targetUri: pathToUri(link.target), targetRange: start, targetSelectionRange: start }]
          : [{ uri: pathToUri(link.target), range: start }];
      }
      if (!answer) return null;
      if (!links) return answer.definitions.map((d) => ({ uri: uriOf(d.path), range: d.range }));
      return answer.definitions.map((d) => ({
        originSelectionRange: answer.origin,
        targetUri: uriOf(d.path),
        targetRange: d.documentRange,
        targetSelectionRange: d.range,
      }));
    }),
  );

  connection.onReferences((params) =>
    guard('References', params.textDocument.uri, [] as Location[], (filePath) =>
      service.referencesAt(filePath, params.position, params.context.includeDeclaration).map((l) => ({ uri: uriOf(l.path), range: l.range })),
    ),
  );

  connection.onPrepareRename((params) =>
    guard('Prepare rename', params.textDocument.uri, null as { range: Range; placeholder: string } | null, (filePath) => {
      return service.prepareRename(filePath, params.position) ?? null;
    }),
  );

  connection.onRenameRequest((params) =>
    guard('Rename', params.textDocument.uri, null, (filePath) => {
      const result = service.rename(filePath, params.position, params.newName);
      if (!result) {
        const kinds = service.renamableKinds();
        const listed = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}` : kinds.join('');
        throw new ResponseError(LSPErrorCodes.RequestFailed, `Only a ${listed} name (or a reference to one) can be renamed here.`);
      }
      if ('refused' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.refused);
      return toWorkspaceEdit(context, result.changes);
    }),
  );

  connection.onHover((params) =>
    guard('Hover', params.textDocument.uri, null, (filePath) => {
      const hover = service.hoverAt(filePath, params.position, { schema: !schemaLeftToRedHatYaml(filePath) });
      if (!hover) return null;
      return { contents: content(hover.paragraphs.join('\n\n'), support.hoverFormat), range: hover.range };
    }),
  );

  connection.languages.inlayHint.on((params) =>
    guard('Inlay hints', params.textDocument.uri, [] as InlayHint[], async (filePath) => {
      const settings = await settingsOf(filePath);
      if (settings.inlayHintsWeights === false) return [];
      return service.weightHints(filePath, params.range).map((hint) => ({ position: hint.position, label: hint.label, tooltip: hint.tooltip }));
    }),
  );

  connection.onCompletion((params) =>
    guard('Completion', params.textDocument.uri, null as CompletionList | null, (filePath) => {
      const items = service.completionsAt(filePath, params.position, { schema: !schemaLeftToRedHatYaml(filePath) }).map((s) => completionItem(s, support));
      return { isIncomplete: false, items };
    }),
  );

  connection.onDocumentSymbol((params) =>
    guard('Document symbols', params.textDocument.uri, [] as DocumentSymbol[] | SymbolInformation[], (filePath) => {
      const symbols = service.outline(filePath);
      return support.hierarchicalSymbols ? symbols.map(documentSymbol) : flatten(symbols, uriOf(filePath), undefined);
    }),
  );

  return {
    configurationChanged() {
      if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
    },
  };
}

/** Markdown's code marks and emphasis, dropped for clients that show plain text. */
function plain(markdown: string): string {
  return markdown.replace(/`/g, '').replace(/\*\*/g, '');
}

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  reference: CompletionItemKind.Reference,
  file: CompletionItemKind.File,
  folder: CompletionItemKind.Folder,
  value: CompletionItemKind.Value,
  property: CompletionItemKind.Property,
};

function completionItem(suggestion: CompletionSuggestion, support: NavigationSupport): CompletionItem {
  let kind = COMPLETION_KINDS[suggestion.kind];
  // Without a value set, clients know the kinds from Text to Reference only.
  const known = support.completionKinds ?? new Set(Array.from({ length: 18 }, (_, i) => i + 1));
  if (!known.has(kind)) kind = suggestion.kind === 'folder' && known.has(CompletionItemKind.File) ? CompletionItemKind.File : CompletionItemKind.Text;
  const item: CompletionItem = {
    label: suggestion.label,
    kind,
    sortText: suggestion.sortText,
    textEdit: { range: suggestion.range, newText: suggestion.newText },
  };
  if (suggestion.detail) item.detail = suggestion.detail;
  if (suggestion.filterText) item.filterText = suggestion.filterText;
  if (suggestion.documentation) item.documentation = content(suggestion.documentation, support.completionFormat);
  if (suggestion.deprecated) {
    if (support.completionTags) item.tags = [CompletionItemTag.Deprecated];
    else if (support.completionDeprecated) item.deprecated = true;
  }
  return item;
}

const SYMBOL_KINDS: Record<OutlineKind, SymbolKind> = {
  object: SymbolKind.Class,
  route: SymbolKind.Method,
  target: SymbolKind.Field,
  key: SymbolKind.Property,
  list: SymbolKind.Array,
  entry: SymbolKind.File,
};

function documentSymbol(symbol: OutlineSymbol): DocumentSymbol {
  const result: DocumentSymbol = {
    name: symbol.name,
    kind: SYMBOL_KINDS[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children.map(documentSymbol),
  };
  if (symbol.detail) result.detail = symbol.detail;
  return result;
}

function flatten(symbols: OutlineSymbol[], uri: string, container: string | undefined): SymbolInformation[] {
  return symbols.flatMap((symbol) => {
    const information: SymbolInformation = { name: symbol.name, kind: SYMBOL_KINDS[symbol.kind], location: { uri, range: symbol.range } };
    if (container) information.containerName = container;
    return [information, ...flatten(symbol.children, uri, symbol.name)];
  });
}

import { replace } from '../../../../fixes';
import { ManifestObject } from '../../../../manifest';
import { FileRule, Finding } from '../../../../rules/rule';
import { Range } from '../../../../text';
import { isMap, isSeq, keyAt, nodeAt, PathSegment, rangeOfNode, YamlMap, YamlNode } from '../../../../yaml';
import { findingAt, lineOf, Located, mapsAt, numberOf, present, routesOf, textOf } from './fields';

/** What a route kind's filters may be (GRPCRoute and HTTPRoute CRDs, v1.6.1 standard channel). */
interface FilterKind {
  /** Each filter type and the field that holds its settings. */
  fields: Readonly<Record<string, string>>;
  /** Types a filters list may hold once only. */
  single: readonly string[];
  /** Whether the HTTP-only rules apply: redirect vs rewrite, redirect vs backendRefs, replacePrefixMatch. */
  http: boolean;
}

const HTTP_FILTERS: FilterKind = {
  fields: {
    RequestHeaderModifier: 'requestHeaderModifier',
    ResponseHeaderModifier: 'responseHeaderModifier',
    RequestMirror: 'requestMirror',
    RequestRedirect: 'requestRedirect',
    URLRewrite: 'urlRewrite',
    ExtensionRef: 'extensionRef',
    CORS: 'cors',
  },
  single: ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'],
  http: true,
};

const GRPC_FILTERS: FilterKind = {
  fields: {
    RequestHeaderModifier: 'requestHeaderModifier',
    ResponseHeaderModifier: 'responseHeaderModifier',
    RequestMirror: 'requestMirror',
    ExtensionRef: 'extensionRef',
  },
  single: ['RequestHeaderModifier', 'ResponseHeaderModifier'],
  http: false,
};

const KINDS: Readonly<Record<string, FilterKind>> = { HTTPRoute: HTTP_FILTERS, GRPCRoute: GRPC_FILTERS };

/** The two ways a redirect or rewrite path is replaced, and the field each needs. */
const PATH_MODIFIERS: Readonly<Record<string, string>> = { ReplaceFullPath: 'replaceFullPath', ReplacePrefixMatch: 'replacePrefixMatch' };

/** The CORS lists where '*' must stand alone. */
const CORS_LISTS = ['allowOrigins', 'allowHeaders', 'allowMethods'];

/** The denominator of a mirror fraction when none is written (the CRD's default). */
const DEFAULT_DENOMINATOR = 100;

/** A path modifier whose type names the other field than the one written: the type to set instead. */
interface FilterData {
  retype?: { range: Range; newText: string };
}

interface Context {
  object: ManifestObject;
  kind: FilterKind;
  findings: Finding<FilterData>[];
  code: string;
}

export const filterCombination: FileRule<FilterData> = {
  code: 'filter-combination',
  scope: 'file',
  defaultSeverity: 'error',
  summary:
    'Route filters the API server rejects together: a type without its settings (or settings under another type), a filter repeated, a redirect with backendRefs or with a rewrite, replacePrefixMatch without exactly one PathPrefix match, a mirror fraction above 1, CORS "*" beside other values.',
  check(file) {
    const findings: Finding<FilterData>[] = [];
    for (const { object, spec } of routesOf(file.objects, Object.keys(KINDS))) {
      const context: Context = { object, kind: KINDS[object.kind], findings, code: this.code };
      for (const rule of mapsAt(spec, ['rules'])) {
        checkFilterList(context, rule.node, ['filters']);
        const backendRefs = mapsAt(rule.node, ['backendRefs']);
        for (const backendRef of backendRefs) checkFilterList(context, backendRef.node, ['filters']);
        if (context.kind.http) checkHttpRule(context, rule, backendRefs);
      }
    }
    return findings;
  },
  fixes(finding) {
    const retype = finding.data?.retype;
    if (!retype) return [];
    return [
      { title: `Set the type to ${retype.newText}`, isPreferred: true, changes: [{ path: finding.path, edits: [replace(retype.range, retype.newText)] }] },
    ];
  },
};

function report(context: Context, node: YamlNode | undefined, message: string, data?: FilterData, related?: { node: YamlNode; message: string }): void {
  const finding = findingAt(context.code, context.object, node, message, data);
  const relatedRange = related && rangeOfNode(context.object.lines, related.node);
  if (related && relatedRange) finding.related = [{ path: context.object.path, range: relatedRange, message: related.message }];
  context.findings.push(finding);
}

/** The rules of one `filters` list (of a rule or of a backendRef) and of each filter in it. */
function checkFilterList(context: Context, owner: YamlMap, path: PathSegment[]): void {
  const filters = mapsAt(owner, path);
  const firstOfType = new Map<string, YamlNode>();
  let redirectOrRewrite: { type: string; node: YamlNode } | undefined;
  for (const filter of filters) {
    const typeNode = present(filter.node, 'type')?.value;
    const type = textOf(typeNode);
    // Without a type (required by the schema) the CEL rules cannot be evaluated: the schema rule reports it.
    if (type === undefined || !typeNode) continue;
    checkFilterFields(context, filter.node, type, typeNode);
    const first = firstOfType.get(type);
    if (first && context.kind.single.includes(type)) {
      report(
        context,
        typeNode,
        `A second ${type} filter in this list (the first is on ${lineOf(context.object, first)}): ${article(type)} ${type} filter may appear once in a list, so the API server rejects the route. Merge the two into one.`,
        undefined,
        { node: first, message: `The first ${type} filter.` },
      );
    }
    if (!first) firstOfType.set(type, typeNode);
    if (context.kind.http && (type === 'RequestRedirect' || type === 'URLRewrite')) {
      if (redirectOrRewrite && redirectOrRewrite.type !== type) {
        report(
          context,
          typeNode,
          `This list has both a RequestRedirect and a URLRewrite filter (the other is on ${lineOf(context.object, redirectOrRewrite.node)}): a request is either redirected or rewritten and forwarded, not both, and the API server rejects the route.`,
          undefined,
          { node: redirectOrRewrite.node, message: `The ${redirectOrRewrite.type} filter.` },
        );
      }
      redirectOrRewrite ??= { type, node: typeNode };
    }
  }
}

/** One filter: its type and settings agree, and the settings of a mirror, a path modifier or CORS hold together. */
function checkFilterFields(context: Context, filter: YamlMap, type: string, typeNode: YamlNode): void {
  const fields = context.kind.fields;
  for (const [fieldType, field] of Object.entries(fields)) {
    const pair = present(filter, field);
    if (pair && fieldType !== type) {
      report(
        context,
        pair.key,
        `\`${field}\` holds the settings of ${article(fieldType)} ${fieldType} filter, but this filter's type is ${type}: the API server rejects a filter whose settings are not those of its type.`,
      );
    }
  }
  const ownField = fields[type];
  const own = ownField === undefined ? undefined : present(filter, ownField);
  if (ownField !== undefined && !own) {
    report(context, typeNode, `${article(type)} ${type} filter needs its settings under \`${ownField}\`, and this one has none: the API server rejects it.`);
  }
  if (!own || !isMap(own.value)) return;
  if (type === 'RequestMirror') checkMirror(context, own.value);
  if (type === 'RequestRedirect' || type === 'URLRewrite') checkPathModifier(context, own.value);
  if (type === 'CORS') checkCors(context, own.value);
}

function checkMirror(context: Context, mirror: YamlMap): void {
  const percent = present(mirror, 'percent');
  const fraction = present(mirror, 'fraction');
  if (percent && fraction) {
    const later = percent.key.start > fraction.key.start ? percent : fraction;
    report(
      context,
      later.key,
      'This mirror sets both percent and fraction: they say the same thing two ways, so the API server accepts one of them only. Keep one.',
    );
  }
  if (fraction && isMap(fraction.value)) {
    const numeratorNode = present(fraction.value, 'numerator')?.value;
    const numerator = numberOf(numeratorNode);
    const denominatorPair = present(fraction.value, 'denominator');
    const denominator = denominatorPair ? numberOf(denominatorPair.value) : DEFAULT_DENOMINATOR;
    if (numerator !== undefined && denominator !== undefined && numerator > denominator) {
      const defaulted = denominatorPair ? '' : ' (the default)';
      report(
        context,
        numeratorNode,
        `The mirror fraction ${numerator}/${denominator}${defaulted} is more than all requests: the numerator may be at most the denominator, and the API server rejects the route.`,
      );
    }
  }
  // A mirror's backendRef to a Service without port: backend-port-missing reports it, as for every backendRef.
}

function checkPathModifier(context: Context, settings: YamlMap): void {
  const pathNode = present(settings, 'path')?.value;
  if (!isMap(pathNode)) return;
  const typeNode = present(pathNode, 'type')?.value;
  const type = textOf(typeNode);
  if (type === undefined || !typeNode) return;
  const written = Object.entries(PATH_MODIFIERS).filter(([, field]) => present(pathNode, field));
  const needed = PATH_MODIFIERS[type];
  if (needed !== undefined && !present(pathNode, needed)) {
    // When only the other type's field is written, the type is the slip: one edit repairs it.
    const retype = written.length === 1 ? { range: rangeOfNode(context.object.lines, typeNode), newText: written[0][0] } : undefined;
    report(
      context,
      typeNode,
      `A path modifier of type ${type} needs \`${needed}\`, and this one has none${written.length === 1 ? ` (it sets \`${written[0][1]}\`)` : ''}: the API server rejects it.`,
      retype?.range ? { retype: { range: retype.range, newText: retype.newText } } : undefined,
    );
  }
  for (const [fieldType, field] of written) {
    if (fieldType === type || needed === undefined) continue;
    // Reported once above when the type's own field is missing; here only when both fields are written.
    if (!present(pathNode, needed)) continue;
    report(
      context,
      keyAt(pathNode, [field]),
      `\`${field}\` belongs to a path modifier of type ${fieldType}, but this one's type is ${type}: the API server rejects it. Remove \`${field}\`.`,
    );
  }
}

function checkCors(context: Context, cors: YamlMap): void {
  for (const list of CORS_LISTS) {
    const values = present(cors, list)?.value;
    if (!isSeq(values) || values.items.length < 2) continue;
    const star = values.items.find((item) => textOf(item) === '*');
    if (!star) continue;
    report(
      context,
      star,
      `'*' in ${list} already allows every value, so it must be the only one: the API server rejects '*' beside other values. Keep '*' alone, or list the values without it.`,
    );
  }
}

/** The HTTPRoute rule-level rules: a redirect answers the request itself, and replacePrefixMatch needs one prefix to replace. */
function checkHttpRule(context: Context, rule: Located, backendRefs: Located[]): void {
  const backendRefsList = present(rule.node, 'backendRefs')?.value;
  if (isSeq(backendRefsList) && backendRefsList.items.length > 0) {
    for (const filter of mapsAt(rule.node, ['filters'])) {
      const redirect = present(filter.node, 'requestRedirect');
      if (!redirect) continue;
      report(
        context,
        redirect.key,
        'This rule redirects requests and also lists backendRefs: a redirect answers the client itself and sends nothing to a backend, so the API server rejects the route. Remove the backendRefs, or the redirect.',
        undefined,
        { node: keyAt(rule.node, ['backendRefs']) ?? backendRefsList, message: 'The backendRefs of the rule.' },
      );
    }
  }
  const matchProblem = prefixMatchProblem(rule.node);
  if (matchProblem === undefined) return;
  for (const settingsKey of ['requestRedirect', 'urlRewrite']) {
    // The CEL rules fire when exactly one filter of the rule replaces a prefix, and again when exactly one backendRef has exactly one such filter.
    const ruleLevel = prefixReplacements(mapsAt(rule.node, ['filters']), settingsKey);
    const backendLevel = backendRefs
      .map((backendRef) => prefixReplacements(mapsAt(backendRef.node, ['filters']), settingsKey))
      .filter((found) => found.length === 1);
    const offending = [...(ruleLevel.length === 1 ? ruleLevel : []), ...(backendLevel.length === 1 ? backendLevel[0] : [])];
    for (const key of offending) {
      report(
        context,
        key,
        `replacePrefixMatch replaces the prefix the request matched, so its rule needs exactly one match, of type PathPrefix; this rule ${matchProblem}. The API server rejects the route.`,
        undefined,
        keyAt(rule.node, ['matches']) ? { node: keyAt(rule.node, ['matches']) as YamlNode, message: 'The matches of the rule.' } : undefined,
      );
    }
  }
}

/** The `replacePrefixMatch` keys of filters whose `settingsKey` path replaces a prefix. */
function prefixReplacements(filters: Located[], settingsKey: string): YamlNode[] {
  const keys: YamlNode[] = [];
  for (const filter of filters) {
    const path = nodeAt(present(filter.node, settingsKey)?.value, ['path']);
    if (textOf(present(path, 'type')?.value) !== 'ReplacePrefixMatch') continue;
    const pair = present(path, 'replacePrefixMatch');
    if (pair) keys.push(pair.key);
  }
  return keys;
}

/** Why a rule's matches do not allow replacePrefixMatch, or undefined when they are one PathPrefix match (the CRD's default included). */
function prefixMatchProblem(rule: YamlMap): string | undefined {
  const matches = present(rule, 'matches')?.value;
  if (matches === undefined) return undefined;
  if (!isSeq(matches)) return undefined;
  if (matches.items.length !== 1) return `has ${matches.items.length} matches`;
  const pathPair = present(matches.items[0], 'path');
  const typePair = present(pathPair?.value, 'type');
  const type = typePair ? textOf(typePair.value) : 'PathPrefix';
  if (type === undefined || type === 'PathPrefix') return undefined;
  return `matches the path with type ${type}`;
}

/** "a" or "an" before a filter type, as it is read aloud (an ExtensionRef, a URLRewrite). */
function article(type: string): string {
  return /^(?:[AEIO]|U[^R])/.test(type) ? 'an' : 'a';
}

import { Kustomization, KustomizationEntry } from './kustomization';
import { Range } from './text';

/** A replacement of a range of a file's text, as LSP and VS Code apply them. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Applies non-overlapping edits to a text (for tests and the CLI; editors apply them themselves). */
export function applyEdits(text: string, edits: TextEdit[], offsetAt: (position: Range['start']) => number): string {
  const sorted = [...edits].sort((a, b) => offsetAt(b.range.start) - offsetAt(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offsetAt(edit.range.start)) + edit.newText + result.slice(offsetAt(edit.range.end));
  }
  return result;
}

/** The line end a file uses, so inserted lines match it. */
export function lineEndOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

const DISABLED_PREFIX = /^(\s*)(#+\s*(?:-\s*)?)/;
const ACTIVE_PREFIX = /^(\s*)(-\s*)/;

/**
 * The comment shape a file uses for disabled entries of a field (`#- `, `# - `, `# `, `##- `, with
 * the hash at the entries' indent or at column 0 as some editors put it): the most common one, whole
 * with its leading spaces, so that disabling a line reads like its neighbours and a move back and
 * forth restores the file byte for byte. Undefined when the field has no disabled entry.
 */
function disabledShape(kustomization: Kustomization, field: string): string | undefined {
  const counts = new Map<string, number>();
  for (const entry of kustomization.entries) {
    if (entry.enabled || entry.field !== field) continue;
    const match = DISABLED_PREFIX.exec(kustomization.parsed.lines.lineText(entry.line));
    if (match) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [shape, count] of counts) {
    if (count > bestCount) [best, bestCount] = [shape, count];
  }
  return best;
}

/** How active entries of a field are indented, and the text between the dash and the value. */
function activeShape(kustomization: Kustomization, field: string): { indent: string; dash: string } | undefined {
  for (const entry of kustomization.entries) {
    if (!entry.enabled || entry.field !== field) continue;
    const match = ACTIVE_PREFIX.exec(kustomization.parsed.lines.lineText(entry.line));
    if (match) return { indent: match[1], dash: match[2] };
  }
  return undefined;
}

/**
 * Turns entries on or off by changing only their comment marker: the value, its quotes and any
 * trailing comment stay as written, and so does every other line, the line ends included.
 */
export function toggleEntries(kustomization: Kustomization, changes: { entry: KustomizationEntry; enable: boolean }[]): TextEdit[] {
  const lines = kustomization.parsed.lines;
  const edits: TextEdit[] = [];
  // Shapes are read once per field, not once per entry: moves over long lists stay linear.
  const activeShapes = new Map<string, ReturnType<typeof activeShape>>();
  const disabledShapes = new Map<string, string | undefined>();
  const activeShapeOf = (field: string): ReturnType<typeof activeShape> => {
    if (!activeShapes.has(field)) activeShapes.set(field, activeShape(kustomization, field));
    return activeShapes.get(field);
  };
  const disabledShapeOf = (field: string): string | undefined => {
    if (!disabledShapes.has(field)) disabledShapes.set(field, disabledShape(kustomization, field));
    return disabledShapes.get(field);
  };
  for (const { entry, enable } of changes) {
    if (entry.enabled === enable) continue;
    const text = lines.lineText(entry.line);
    const rest = text.slice(entry.range.start.character);
    let prefix: string;
    if (enable) {
      const indent = DISABLED_PREFIX.exec(text)?.[1] ?? '';
      const shape = activeShapeOf(entry.field) ?? { indent, dash: '- ' };
      const pathKey = /^(\s*)(#+\s*(?:-\s*)?)(path:\s*)/.exec(text)?.[3] ?? '';
      prefix = shape.indent + shape.dash + pathKey;
    } else {
      const match = ACTIVE_PREFIX.exec(text);
      const indent = match?.[1] ?? '';
      // The shape of the field's other disabled entries, leading spaces included; `#- ` at the entry's indent when there is none.
      const shape = disabledShapeOf(entry.field) ?? `${indent}#- `;
      const afterDash = text.slice(match?.[0].length ?? 0, entry.range.start.character);
      prefix = shape + afterDash;
    }
    edits.push({ range: lines.lineRange(entry.line), newText: prefix + rest });
  }
  return edits;
}

/** Adds an enabled entry after the last entry of its field, in the style and line ends of the file. */
export function insertEntry(kustomization: Kustomization, field: string, value: string): TextEdit | undefined {
  const lines = kustomization.parsed.lines;
  const last = [...kustomization.entries].reverse().find((e) => e.field === field);
  if (!last) return undefined;
  const shape = activeShape(kustomization, field) ?? { indent: DISABLED_PREFIX.exec(lines.lineText(last.line))?.[1] ?? '', dash: '- ' };
  const end = lines.lineRange(last.line).end;
  return { range: { start: end, end }, newText: `${lineEndOf(lines.text)}${shape.indent}${shape.dash}${value}` };
}

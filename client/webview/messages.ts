/**
 * What the rollout view's page and the extension say to each other (postMessage), in one place for
 * both sides. Types only: the page bundles none of the extension, the extension none of the page.
 */
import type { RolloutInfo, StageTarget } from '../../server/src/protocol';

/** The extension to the page. */
export type ToPage =
  /** The rollout to show, with the change against HEAD when the server could tell one. */
  | { type: 'show'; info: RolloutInfo; uncommitted: string | undefined; workspaceRelative: string }
  /** The active editor's file has no rollout (and none was shown before). */
  | { type: 'empty'; reason: string };

/** The page to the extension. */
export type FromPage =
  | { type: 'ready' }
  | { type: 'move'; uri: string; version: number | null; target: StageTarget }
  | { type: 'open'; uri: string; line: number; character: number };

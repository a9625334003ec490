/**
 * Walking a flow one caller input at a time: the same rules the Asterisk dialplan renders, for
 * webhook-driven carriers (TwiML) that ask the server after every key press. Pure.
 */
import type { IvrFlow, MenuNode, QueueNode } from './flow.schema';

/** Where a caller is now: hearing a menu (attempt n of its attempts) or being put into a queue. */
export type IvrStep =
  | { kind: 'menu'; nodeId: string; node: MenuNode; attempt: number; /** The previous key was not an option. */ invalid: boolean }
  | { kind: 'queue'; nodeId: string; node: QueueNode }
  | { kind: 'sos' };

export interface CallerProfile {
  /** A registered SOS device: straight to the SOS queue. */
  sos: boolean;
  /** A caller the hotline knows: skips the menu when the flow has a knownCaller node. */
  known: boolean;
}

function enter(flow: IvrFlow, nodeId: string, invalid = false): IvrStep {
  const node = flow.nodes[nodeId];
  if (!node) throw new Error(`IVR flow "${flow.id}" has no node "${nodeId}"`);
  return node.type === 'menu' ? { kind: 'menu', nodeId, node, attempt: 1, invalid } : { kind: 'queue', nodeId, node };
}

/**
 * The first step of a new call.
 * @example entryStep(flow, { sos: false, known: true }) // { kind: 'queue', nodeId: 'known_caller', … }
 */
export function entryStep(flow: IvrFlow, caller: CallerProfile): IvrStep {
  if (caller.sos) return { kind: 'sos' };
  if (caller.known && flow.knownCaller) return enter(flow, flow.knownCaller);
  return enter(flow, flow.start);
}

/**
 * The step after the caller answered menu `nodeId` (attempt `attempt`) with `digits` (empty: timeout).
 * Unknown node ids or attempts out of range start the menu again rather than failing: a caller is never
 * dropped because of a stale or tampered webhook URL.
 * @example afterInput(flow, 'welcome', 1, '3') // { kind: 'queue', nodeId: 'emergency', … }
 */
export function afterInput(flow: IvrFlow, nodeId: string, attempt: number, digits: string | undefined): IvrStep {
  const node = flow.nodes[nodeId];
  if (!node || node.type !== 'menu') return enter(flow, flow.start);
  const key = (digits ?? '').trim().slice(0, 1);
  const target = key ? node.options[key] : undefined;
  if (target) return enter(flow, target);
  const tries = Number.isInteger(attempt) && attempt >= 1 ? attempt : node.attempts;
  if (tries < node.attempts) return { kind: 'menu', nodeId, node, attempt: tries + 1, invalid: key !== '' };
  return enter(flow, node.noInput, key !== '');
}

/**
 * Load-time validation of an IVR flow: the zod shape first, then the rules that span nodes. Every problem
 * names the node it is in, so a broken flow file is fixed in one go.
 */
import { flowSchema, MENU_KEY, NODE_ID, type IvrFlow, type IvrNode } from './flow.schema';

export interface IvrFlowIssue {
  /** The node the problem is in; null for flow-level fields. */
  node: string | null;
  message: string;
}

/** A flow that must not be loaded. `message` lists every issue, one per line. */
export class IvrFlowError extends Error {
  constructor(
    readonly flowId: string,
    readonly issues: IvrFlowIssue[],
  ) {
    super(`invalid IVR flow "${flowId}":\n${issues.map((i) => `  ${i.node ? `node "${i.node}": ` : ''}${i.message}`).join('\n')}`);
    this.name = 'IvrFlowError';
  }
}

/**
 * Parse and check a flow; throws {@link IvrFlowError} naming each bad node.
 * @example const flow = validateFlow(JSON.parse(fs.readFileSync('ivr/flows/hotline.flow.json', 'utf8')));
 */
export function validateFlow(input: unknown): IvrFlow {
  const flowId = typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id : '(no id)';
  const parsed = flowSchema.safeParse(input);
  if (!parsed.success) {
    throw new IvrFlowError(
      flowId,
      parsed.error.issues.map((i) => {
        const [head, node, ...rest] = i.path.map(String);
        if (head === 'nodes' && node !== undefined) return { node, message: `${rest.join('.') || '(node)'}: ${i.message}` };
        return { node: null, message: `${i.path.join('.') || '(flow)'}: ${i.message}` };
      }),
    );
  }
  const flow = parsed.data;
  const issues = [...checkNodes(flow), ...checkReachability(flow), ...checkFailOpen(flow)];
  if (issues.length) throw new IvrFlowError(flow.id, issues);
  return flow;
}

function checkNodes(flow: IvrFlow): IvrFlowIssue[] {
  const issues: IvrFlowIssue[] = [];
  const exists = (id: string) => Object.hasOwn(flow.nodes, id);
  if (!exists(flow.start)) issues.push({ node: null, message: `start "${flow.start}" is not a node` });
  if (flow.knownCaller !== null) {
    if (!exists(flow.knownCaller)) issues.push({ node: null, message: `knownCaller "${flow.knownCaller}" is not a node` });
    else if (flow.nodes[flow.knownCaller]!.type !== 'queue') issues.push({ node: null, message: `knownCaller "${flow.knownCaller}" must be a queue node (known callers skip menus)` });
  }
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (!NODE_ID.test(id)) issues.push({ node: id, message: 'node ids are a-z, 0-9 and _, starting with a letter (at most 31 characters)' });
    if (node.type !== 'menu') continue;
    for (const [key, target] of Object.entries(node.options)) {
      if (!MENU_KEY.test(key)) issues.push({ node: id, message: `option "${key}" is not a single key 0–9 or * (# ends input)` });
      if (!exists(target)) issues.push({ node: id, message: `option "${key}" goes to "${target}", which is not a node` });
      if (target === id) issues.push({ node: id, message: `option "${key}" goes back to the same menu` });
    }
    if (!exists(node.noInput)) issues.push({ node: id, message: `noInput goes to "${node.noInput}", which is not a node` });
  }
  return issues;
}

function targetsOf(node: IvrNode): string[] {
  return node.type === 'menu' ? [...Object.values(node.options), node.noInput] : [];
}

/** Every node must be reachable from the start (or be the known-caller node). */
function checkReachability(flow: IvrFlow): IvrFlowIssue[] {
  const seen = new Set<string>();
  const queue = [flow.start, ...(flow.knownCaller ? [flow.knownCaller] : [])].filter((id) => Object.hasOwn(flow.nodes, id));
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of targetsOf(flow.nodes[id]!)) if (Object.hasOwn(flow.nodes, next)) queue.push(next);
  }
  return Object.keys(flow.nodes)
    .filter((id) => !seen.has(id))
    .map((id) => ({ node: id, message: `is not reachable from start "${flow.start}"` }));
}

/**
 * Fail open: a caller who presses nothing must end up in a queue. Following `noInput` from any menu has to
 * reach a queue node without coming back to a menu already passed.
 */
function checkFailOpen(flow: IvrFlow): IvrFlowIssue[] {
  const issues: IvrFlowIssue[] = [];
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type !== 'menu') continue;
    const path = [id];
    let current: IvrNode | undefined = node;
    while (current?.type === 'menu') {
      const next: string = current.noInput;
      if (path.includes(next)) {
        issues.push({ node: id, message: `a caller who presses nothing loops forever (${[...path, next].join(' → ')}); noInput must lead to a queue` });
        break;
      }
      path.push(next);
      current = flow.nodes[next];
    }
  }
  return issues;
}

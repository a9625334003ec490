/**
 * The Asterisk dialplan include (`extensions_anxin.conf`) for a flow. Pure: same flow, same text.
 *
 * What the generated dialplan guarantees, matching the recorded PBX traffic the AMI adapter understands:
 * - registered SOS devices (AstDB `sos/<caller>`, or the server's lookup) skip the menu, raise
 *   `UserEvent(AnxinSos,CallerID: …,Device: …,DID: …)` and queue with `QUEUE_PRIO=10`;
 * - every menu choice raises `UserEvent(AnxinIvr,Choice: …,CallerID: …)` and sets `__ANXIN_IVR` before the
 *   caller joins the queue, so the choice reaches the server before an agent answers;
 * - it fails open: the server lookup has short timeouts and any failure leads to the menu; a caller who
 *   presses nothing reaches a queue.
 */
import type { IvrFlow, IvrPrompt, MenuNode, QueueNode } from './flow.schema';
import { SOS_QUEUE_PRIORITY } from './flow.schema';

export interface DialplanOptions {
  /** Shown in the header: where the flow came from. */
  source: string;
  /** Seconds a caller may wait in a queue (Queue() timeout). */
  queueTimeoutSeconds?: number;
  /** The extension the server originates automatic SOS callbacks to (`Local/<ext>@agents`). */
  sosCallbackExtension?: string;
}

const ctx = (flow: IvrFlow, nodeId: string) => `anxin-${flow.id}-${nodeId}`;

/** Text for a `;` comment: one line, nothing the parser could take for syntax. */
const comment = (text: string) => text.replace(/[\r\n]+/g, ' ');

function sounds(flow: IvrFlow): string[] {
  return [...new Set(promptsOf(flow).map((p) => p.sound))].sort();
}

class Block {
  private readonly lines: string[] = [];
  private first = true;

  constructor(header: string[]) {
    this.lines.push(...header);
  }

  /** Next priority of extension `exten` (`1` for the first, `n` afterwards), optionally labelled. */
  step(exten: string, app: string, label?: string): this {
    const prio = this.first ? '1' : 'n';
    this.lines.push(this.first ? `exten => ${exten},${prio}${label ? `(${label})` : ''},${app}` : ` same => ${prio}${label ? `(${label})` : ''},${app}`);
    this.first = false;
    return this;
  }

  note(text: string): this {
    this.lines.push(` ; ${comment(text)}`);
    return this;
  }

  toString(): string {
    return this.lines.join('\n');
  }
}

function entry(flow: IvrFlow, timeout: number): string {
  const b = new Block([`[${ctx(flow, 'entry')}]`, `; Flow "${flow.id}" (${comment(flow.name)}): who is calling decides the path.`]);
  b.step('_X.', 'NoOp(Anxin inbound call to ${EXTEN} from ${CALLERID(all)})')
    .step('_X.', 'Set(__HOTLINE_DID=${EXTEN})')
    .step('_X.', `Set(__ANXIN_FLOW=${flow.id})`)
    .step('_X.', 'Set(CHANNEL(language)=zh)')
    .note('1) Registered SOS devices, from AstDB (works while the server is down).')
    .step('_X.', 'Set(SOS=${DB_EXISTS(sos/${CALLERID(num)})})')
    .step('_X.', 'GotoIf(${SOS}?sos)')
    .note('2) Ask the server: "sos:<device>", "known" or "unknown". Short timeouts; any failure means the menu.')
    .step('_X.', 'Set(CURLOPT(conntimeout)=1)')
    .step('_X.', 'Set(CURLOPT(httptimeout)=2)')
    .step('_X.', 'Set(CURLOPT(httpheader)=Authorization: Bearer ${ANXIN_LOOKUP_TOKEN})')
    .step('_X.', 'Set(ANXIN_CALLER=${CURL(${ANXIN_API}/ivr/lookup?number=${URIENCODE(${CALLERID(num)})})})')
    .step('_X.', 'GotoIf($["${CUT(ANXIN_CALLER,:,1)}" = "sos"]?sos_lookup)')
    .step('_X.', 'Answer()');
  if (flow.knownCaller) b.step('_X.', `GotoIf($["\${ANXIN_CALLER}" = "known"]?${ctx(flow, flow.knownCaller)},s,1)`);
  b.step('_X.', `Goto(${ctx(flow, flow.start)},s,1)`)
    .note('A registered SOS device: no menu, top of the queue.')
    .step('_X.', 'Set(DB_RESULT=${CUT(ANXIN_CALLER,:,2-)})', 'sos_lookup')
    .step('_X.', `Set(QUEUE_PRIO=${SOS_QUEUE_PRIORITY})`, 'sos')
    .step('_X.', 'UserEvent(AnxinSos,CallerID: ${CALLERID(num)},Device: ${DB_RESULT},DID: ${HOTLINE_DID})')
    .step('_X.', 'Answer()')
    .step('_X.', `Playback(${flow.sos.prompt.sound})`)
    .step('_X.', `Queue(${flow.sos.queue},,,,${timeout})`)
    .step('_X.', 'Hangup()');
  return b.toString();
}

function menu(flow: IvrFlow, nodeId: string, node: MenuNode): string {
  const keys = Object.entries(node.options).sort(([a], [b]) => a.localeCompare(b));
  const b = new Block([
    `[${ctx(flow, nodeId)}]`,
    `; Menu "${nodeId}": ${comment(node.prompt.text)}`,
    `; ${node.attempts} attempt(s), ${node.timeoutSeconds} s each; then "${node.noInput}".`,
  ]);
  b.step('s', 'Set(ANXIN_TRY=0)')
    .step('s', 'Set(ANXIN_TRY=$[${ANXIN_TRY} + 1])', 'ask')
    .step('s', `Read(CHOICE,${node.prompt.sound},1,,1,${node.timeoutSeconds})`);
  for (const [key, target] of keys) b.step('s', `GotoIf($["\${CHOICE}" = "${key}"]?${ctx(flow, target)},s,1)`);
  b.step('s', 'GotoIf($["${CHOICE}" = ""]?retry)');
  if (node.invalidPrompt) b.step('s', `Playback(${node.invalidPrompt.sound})`);
  b.step('s', `GotoIf($[\${ANXIN_TRY} < ${node.attempts}]?ask)`, 'retry').step('s', `Goto(${ctx(flow, node.noInput)},s,1)`);
  return b.toString();
}

function queue(flow: IvrFlow, nodeId: string, node: QueueNode, timeout: number): string {
  const b = new Block([`[${ctx(flow, nodeId)}]`, `; Queue "${nodeId}": choice ${node.choice} → ${node.queue}, priority ${node.priority}.`]);
  b.step('s', `UserEvent(AnxinIvr,Choice: ${node.choice},CallerID: \${CALLERID(num)})`)
    .step('s', `Set(__ANXIN_IVR=${node.choice})`)
    .step('s', `Set(QUEUE_PRIO=${node.priority})`);
  if (node.prompt) b.step('s', `Playback(${node.prompt.sound})`);
  b.step('s', `Queue(${node.queue},,,,${timeout})`).step('s', 'Hangup()');
  return b.toString();
}

function inbound(flow: IvrFlow): string {
  const lines = [
    '[anxin-inbound]',
    '; Trunk calls enter here: set the trunk endpoint\'s context to anxin-inbound, or Goto(anxin-inbound,${EXTEN},1).',
    ...flow.dids.map((did) => `exten => ${did},1,Goto(${ctx(flow, 'entry')},\${EXTEN},1)`),
    `; Any other number dialled: the same flow, so no call is dropped.`,
    `exten => _X.,1,Goto(${ctx(flow, 'entry')},\${EXTEN},1)`,
  ];
  return lines.join('\n');
}

function sosCallback(flow: IvrFlow, extension: string, timeout: number): string {
  const b = new Block([
    '[anxin-sos-callback]',
    '; Automatic SOS callback. The server originates Local/<extension>@agents with __ANXIN_CALLBACK_NUMBER set;',
    '; this half joins the queue at top priority while the other half dials the person (outbound context).',
    '; Include it in [agents]: include => anxin-sos-callback',
  ]);
  b.step(extension, 'NoOp(Anxin SOS callback for ticket ${ANXIN_TICKET} to ${ANXIN_CALLBACK_NUMBER})')
    .step(extension, 'Set(CALLERID(num)=${ANXIN_CALLBACK_NUMBER})')
    .step(extension, `Set(QUEUE_PRIO=${SOS_QUEUE_PRIORITY})`)
    .step(extension, 'Answer()')
    .step(extension, `Queue(${flow.sos.queue},,,,${timeout})`)
    .step(extension, 'Hangup()');
  return b.toString();
}

function header(flow: IvrFlow, opts: DialplanOptions): string {
  return [
    '; extensions_anxin.conf — GENERATED by `npm run ivr:render`. Do not edit: change the flow and render again.',
    `; Source: ${comment(opts.source)} (flow "${flow.id}", ${comment(flow.name)})`,
    '; Include it from extensions.conf (#include extensions_anxin.conf). [globals] must define ANXIN_API',
    '; (the server base URL, e.g. http://anxin:3000) and ANXIN_LOOKUP_TOKEN (the server\'s IVR_LOOKUP_TOKEN).',
    '; Sound files (record them in Mandarin under sounds/zh/):',
    ...sounds(flow).map((s) => `;   ${s}`),
  ].join('\n');
}

/**
 * Render the include for one flow.
 * @example renderDialplan(validateFlow(json), { source: 'ivr/flows/hotline.flow.json' })
 */
export function renderDialplan(flow: IvrFlow, opts: DialplanOptions): string {
  const timeout = opts.queueTimeoutSeconds ?? 300;
  const sections = [header(flow, opts), inbound(flow), entry(flow, timeout)];
  for (const [id, node] of Object.entries(flow.nodes)) {
    sections.push(node.type === 'menu' ? menu(flow, id, node) : queue(flow, id, node, timeout));
  }
  sections.push(sosCallback(flow, opts.sosCallbackExtension ?? 'sos-callback', timeout));
  return `${sections.join('\n\n')}\n`;
}

/** Every prompt of a flow, for tooling (recording scripts, checks). */
export function promptsOf(flow: IvrFlow): IvrPrompt[] {
  const out: IvrPrompt[] = [flow.sos.prompt];
  for (const node of Object.values(flow.nodes)) {
    if (node.prompt) out.push(node.prompt);
    if (node.type === 'menu' && node.invalidPrompt) out.push(node.invalidPrompt);
  }
  return out;
}

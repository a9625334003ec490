import fs from 'node:fs';
import path from 'node:path';
import hotline from '../flows/hotline.flow.json';
import { DEFAULT_FLOW_SOURCE, loadFlow } from './load-flow';
import { renderDialplan } from './render-dialplan';
import { validateFlow } from './validate-flow';

const REPO = path.resolve(__dirname, '../..');
const render = () => renderDialplan(loadFlow(), { source: DEFAULT_FLOW_SOURCE });

/** `[context]` headers and every `Goto(context,…)` / `GotoIf(…?context,…)` target. */
function contexts(text: string): { defined: Set<string>; targets: Set<string> } {
  const defined = new Set([...text.matchAll(/^\[([^\]]+)\]$/gm)].map((m) => m[1]!));
  const targets = new Set([...text.matchAll(/Goto(?:If)?\((?:[^?)]*\?)?([a-z][\w-]*),[^,)]+,\d+\)/g)].map((m) => m[1]!));
  return { defined, targets };
}

describe('renderDialplan', () => {
  it('when the hotline flow is rendered, then the include matches the snapshot', () => {
    expect(render()).toMatchSnapshot();
  });

  it('when the repository ships extensions_anxin.conf, then it is the current render (npm run ivr:render)', () => {
    const shipped = fs.readFileSync(path.join(REPO, 'docker/asterisk/extensions_anxin.conf'), 'utf8');
    expect(shipped).toBe(render());
  });

  it('when rendered, then every Goto lands in a context the include defines', () => {
    const { defined, targets } = contexts(render());
    expect(targets.size).toBeGreaterThan(5);
    for (const target of targets) expect([target, defined.has(target)]).toEqual([target, true]);
  });

  it('when an SOS device calls, then the dialplan emits AnxinSos in the recorded shape and queues at priority 10', () => {
    const text = render();
    expect(text).toContain('same => n,GotoIf(${SOS}?sos)');
    expect(text).toContain('same => n(sos),Set(QUEUE_PRIO=10)');
    // The shape the recorded PBX sent (server/test/fixtures/ami/sos-device-call.jsonl): AppData of the UserEvent.
    expect(text).toContain('UserEvent(AnxinSos,CallerID: ${CALLERID(num)},Device: ${DB_RESULT},DID: ${HOTLINE_DID})');
    const sos = text.slice(text.indexOf('(sos),'));
    expect(sos.indexOf('UserEvent(AnxinSos')).toBeLessThan(sos.indexOf('Queue(hotline'));
  });

  it('when a caller picks 3, then AnxinIvr Choice: 3 and __ANXIN_IVR are set before the queue (as in the ivr-choice recording)', () => {
    const block = render().split('\n\n').find((b) => b.startsWith('[anxin-hotline-emergency]'))!;
    const lines = block.split('\n').filter((l) => l.includes('=>'));
    expect(lines.map((l) => l.replace(/^(?:exten => [^,]+,| same => )(?:\d+|n)(?:\([^)]*\))?,/, ''))).toEqual([
      'UserEvent(AnxinIvr,Choice: 3,CallerID: ${CALLERID(num)})',
      'Set(__ANXIN_IVR=3)',
      'Set(QUEUE_PRIO=5)',
      'Playback(anxin/transfer-emergency)',
      'Queue(hotline,,,,300)',
      'Hangup()',
    ]);
  });

  it('when the server lookup is used, then it has short timeouts and every failure falls through to the menu', () => {
    const entry = render().split('\n\n').find((b) => b.startsWith('[anxin-hotline-entry]'))!;
    expect(entry).toContain('Set(CURLOPT(conntimeout)=1)');
    expect(entry).toContain('Set(CURLOPT(httptimeout)=2)');
    // Only an explicit "sos:…" or "known" changes the path; anything else (empty on failure) reaches the menu.
    expect(entry).toMatch(/GotoIf\(\$\["\$\{ANXIN_CALLER\}" = "known"\]\?anxin-hotline-known_caller,s,1\)\n same => n,Goto\(anxin-hotline-welcome,s,1\)/);
  });

  it('when a menu gets no key, then it repeats up to its attempts and then goes on (slow menu, then an agent)', () => {
    const text = render();
    expect(text).toContain('same => n(retry),GotoIf($[${ANXIN_TRY} < 3]?ask)\n same => n,Goto(anxin-hotline-welcome_slow,s,1)');
    expect(text).toContain('Read(CHOICE,anxin/welcome-slow,1,,1,10)');
    expect(text).toContain('same => n(retry),GotoIf($[${ANXIN_TRY} < 2]?ask)\n same => n,Goto(anxin-hotline-agent,s,1)');
  });

  it('when the callback extension is configured, then the SOS callback context uses it', () => {
    const text = renderDialplan(validateFlow(hotline), { source: 'x', sosCallbackExtension: 'sos-cb' });
    expect(text).toContain('exten => sos-cb,1,NoOp(Anxin SOS callback');
    expect(text).toMatch(/\[anxin-sos-callback\][\s\S]*Set\(QUEUE_PRIO=10\)[\s\S]*Queue\(hotline,,,,300\)/);
  });
});

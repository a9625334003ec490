import hotline from '../flows/hotline.flow.json';
import { findAll, parseXml, textOf } from '../test/xml';
import { afterInput, entryStep } from './flow-engine';
import { renderFailOpenTwiml, renderTwiml } from './render-twiml';
import { validateFlow } from './validate-flow';

const flow = validateFlow(hotline);
const links = { gather: (node: string, attempt: number) => `/twilio/gather?node=${node}&attempt=${attempt}` };
const xml = (step: Parameters<typeof renderTwiml>[1]) => parseXml(renderTwiml(flow, step, links));

describe('flow engine', () => {
  it.each<[string, string, number, string | undefined, string, number | null]>([
    ['1 in the main menu', 'welcome', 1, '1', 'life_service', null],
    ['3 in the main menu', 'welcome', 1, '3', 'emergency', null],
    ['0 in the slow menu', 'welcome_slow', 2, '0', 'agent', null],
    ['9 in the main menu', 'welcome', 1, '9', 'welcome_slow', 1],
    ['nothing on the first try', 'welcome', 1, '', 'welcome', 2],
    ['a wrong key on the second try', 'welcome', 2, '7', 'welcome', 3],
    ['nothing on the last try', 'welcome', 3, undefined, 'welcome_slow', 1],
    ['nothing on the last slow try', 'welcome_slow', 2, '', 'agent', null],
    ['a stale node id', 'gone', 1, '1', 'welcome', 1],
    ['a queue node id', 'agent', 1, '1', 'welcome', 1],
    ['a tampered attempt', 'welcome', -4, '', 'welcome_slow', 1],
  ])('when the caller gives %s, then the next step is %s', (_what, node, attempt, digits, next, nextAttempt) => {
    const step = afterInput(flow, node, attempt, digits);
    expect(step.kind === 'sos' ? 'sos' : step.nodeId).toBe(next);
    expect(step.kind === 'menu' ? step.attempt : null).toBe(nextAttempt);
  });

  it('when an SOS device or a known caller calls, then the menu is skipped', () => {
    expect(entryStep(flow, { sos: true, known: true })).toEqual({ kind: 'sos' });
    expect(entryStep(flow, { sos: false, known: true })).toMatchObject({ kind: 'queue', nodeId: 'known_caller' });
    expect(entryStep(flow, { sos: false, known: false })).toMatchObject({ kind: 'menu', nodeId: 'welcome', attempt: 1 });
  });
});

describe('renderTwiml', () => {
  it('when a new caller arrives, then the TwiML gathers one key with the Mandarin welcome and posts back', () => {
    const doc = xml(entryStep(flow, { sos: false, known: false }));
    expect(doc.name).toBe('Response');
    const [gather] = findAll(doc, 'Gather');
    expect(gather!.attributes).toMatchObject({ input: 'dtmf', numDigits: '1', timeout: '5', method: 'POST', actionOnEmptyResult: 'true', action: '/twilio/gather?node=welcome&attempt=1' });
    const [say] = findAll(gather!, 'Say');
    expect(say!.attributes).toEqual({ voice: 'Polly.Zhiyu', language: 'cmn-CN' });
    expect(textOf(say!)).toContain('欢迎致电安心热线');
  });

  it('when the caller pressed a wrong key, then the retry says so first and asks again', () => {
    const doc = xml(afterInput(flow, 'welcome', 1, '8'));
    expect(doc.children.map((c) => c.name)).toEqual(['Say', 'Gather']);
    expect(textOf(doc.children[0]!)).toBe('您的输入有误，请重新选择。');
    expect(findAll(doc, 'Gather')[0]!.attributes.action).toBe('/twilio/gather?node=welcome&attempt=2');
  });

  it('when the slow menu plays, then its prompt is wrapped in slow prosody and waits longer', () => {
    const doc = xml(afterInput(flow, 'welcome', 1, '9'));
    const gather = findAll(doc, 'Gather')[0]!;
    expect(gather.attributes.timeout).toBe('10');
    const [prosody] = findAll(gather, 'prosody');
    expect(prosody!.attributes.rate).toBe('slow');
    expect(textOf(prosody!)).toContain('需要生活服务，请按1');
  });

  it('when a choice leads to a queue, then the caller hears the transfer prompt and is enqueued', () => {
    const doc = xml(afterInput(flow, 'welcome', 1, '3'));
    expect(doc.children.map((c) => c.name)).toEqual(['Say', 'Enqueue']);
    expect(textOf(findAll(doc, 'Enqueue')[0]!)).toBe('hotline');
    expect(textOf(findAll(doc, 'Say')[0]!)).toContain('紧急求助');
  });

  it('when an SOS device calls, then it goes to the SOS queue at once', () => {
    const doc = xml({ kind: 'sos' });
    expect(textOf(findAll(doc, 'Enqueue')[0]!)).toBe('hotline-sos');
    expect(findAll(doc, 'Gather')).toHaveLength(0);
  });

  it('when anything fails, then the fail-open TwiML still enqueues the caller', () => {
    const doc = parseXml(renderFailOpenTwiml(flow));
    expect(textOf(findAll(doc, 'Enqueue')[0]!)).toBe('hotline');
  });

  it('when a prompt contains XML characters, then the document stays well formed', () => {
    const tricky = validateFlow({ ...structuredClone(hotline), nodes: { ...structuredClone(hotline).nodes, agent: { ...hotline.nodes.agent, prompt: { text: '请按 <0> & "等待"', sound: 'anxin/x' } } } });
    const doc = parseXml(renderTwiml(tricky, afterInput(tricky, 'welcome', 1, '0'), links));
    expect(textOf(findAll(doc, 'Say')[0]!)).toBe('请按 <0> & "等待"');
  });
});

describe('parseXml (test helper)', () => {
  it.each(['<a><b></a>', '<a x=1></a>', '<a>&nbsp;</a>', '<a></a><b></b>', '<a>'])('when given %s, then it refuses it', (bad) => {
    expect(() => parseXml(bad)).toThrow(/malformed XML|unknown entity/);
  });
});

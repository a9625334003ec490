/**
 * Texts to the hotline through the inbound SMS service: a bare keyword no longer raises a false SOS
 * ("报警器没电了"), an unsure text opens an urgent order for a human, a distress text raises an SOS, and a
 * distress text while the SOS is open alerts again on the same order.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { InboundSmsService } from '../src/sms/inbound-sms.service';
import { makePerson } from './support/factories';
import { makeDistricts, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let inbound: InboundSmsService;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  inbound = t.app.services.callerSide.inboundSms;
});
afterAll(() => t.close());

const text = (from: string, body: string) => inbound.handle({ messageSid: `SM${randomBytes(16).toString('hex')}`, from, body });
const incidents = (personId: string): Promise<{ id: string; ticket_id: string }[]> => ds.query('SELECT id, ticket_id FROM sos_incident WHERE person_id = $1', [personId]);
const orders = (personId: string): Promise<{ category: string; priority: string; summary: string }[]> => ds.query('SELECT category, priority, summary FROM ticket WHERE person_id = $1 ORDER BY created_at', [personId]);

describe('SOS text rules on the SMS path', () => {
  it('when a person texts that the alarm battery is flat, then no SOS is raised and an ordinary order opens', async () => {
    const p = await makePerson(ds, tree.community);
    const r = await text(p.phone, '报警器没电了');
    expect(r.outcome).toBe('ticket_created');
    expect(await incidents(p.id)).toEqual([]);
    expect(await orders(p.id)).toEqual([expect.objectContaining({ category: 'inquiry', priority: 'P2' })]);
  });

  it('when a text is unsure, then an urgent emergency order (P1) opens for a human and no SOS chain starts', async () => {
    const p = await makePerson(ds, tree.community);
    const r = await text(p.phone, '我胸口有点不舒服');
    expect(r.outcome).toBe('urgent_created');
    expect(r.reply).toContain(r.ticketNumber!);
    expect(await incidents(p.id)).toEqual([]);
    const [order] = await orders(p.id);
    expect(order).toMatchObject({ category: 'emergency', priority: 'P1' });
    expect(order!.summary).toContain('待核实');
  });

  it('when a distress text arrives, then an SOS is raised; a further distress text while it is open alerts again on the same order', async () => {
    const p = await makePerson(ds, tree.community);
    const first = await text(p.phone, '我在卫生间摔倒了，起不来');
    expect(first.outcome).toBe('sos');
    const [incident] = await incidents(p.id);
    const again = await text(p.phone, '救命');
    expect(again.outcome).toBe('sos');
    expect(again.ticketNumber).toBe(first.ticketNumber);
    expect(await incidents(p.id)).toHaveLength(1);
    const kinds: { kind: string }[] = await ds.query('SELECT kind FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [incident!.ticket_id]);
    expect(kinds.map((k) => k.kind)).toContain('sos_repeat');
  });
});

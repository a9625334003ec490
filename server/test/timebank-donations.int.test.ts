/**
 * Donations (捐赠管理) over real HTTP: gifts of goods and money, allocations never beyond what a gift holds
 * (also when many are asked at once), returns never beyond what went out, goods into the shop's stock, the
 * destination report, and scope.
 */
import type { DataSource } from 'typeorm';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let sup: string;
let outsider: string;
let dispatcher: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  sup = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
  outsider = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.otherDistrict)).username);
  dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.district)).username);
});
afterAll(async () => {
  await t?.close();
});

describe('donations', () => {
  it('when a gift of money is allocated, then never beyond its amount, even with many allocations at once', async () => {
    const donor = await api(t.baseUrl, 'POST', '/api/timebank/donors', sup, { kind: 'organisation', name: '爱心企业', phone: '13912345678', districtCode: tree.district });
    expect(donor.status).toBe(201);
    expect(donor.body.phoneMasked).toBe('139****5678');
    const receipt = `R-${Date.now()}`;
    const gift = await api(t.baseUrl, 'POST', '/api/timebank/gifts', sup, { donorId: donor.body.id, kind: 'money', receivedOn: '2026-03-01', amountFen: 100_000, channel: 'bank_transfer', receiptNo: receipt });
    expect(gift.status).toBe(201);
    expect(gift.body.remaining).toEqual({ kind: 'money', receivedFen: 100_000, allocatedFen: 0, remainingFen: 100_000 });
    const dup = await api(t.baseUrl, 'POST', '/api/timebank/gifts', sup, { donorId: donor.body.id, kind: 'money', receivedOn: '2026-03-01', amountFen: 5, channel: 'cash', receiptNo: receipt });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('timebank/receipt-duplicate');

    const persons = await Promise.all(Array.from({ length: 5 }, () => makePerson(ds, tree.community)));
    const results = await Promise.all(persons.map((p) => api(t.baseUrl, 'POST', `/api/timebank/gifts/${gift.body.gift.id}/allocations`, sup, { destination: { kind: 'person', id: p.id }, amountFen: 30_000 })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['donation/over-allocation', 'donation/over-allocation']);
    const [sum] = await ds.query(`SELECT sum(amount_fen)::int AS fen FROM donation_allocation WHERE gift_id = $1`, [gift.body.gift.id]);
    expect(sum.fen).toBe(90_000);
    const detail = await api(t.baseUrl, 'GET', `/api/timebank/gifts/${gift.body.gift.id}`, sup);
    expect(detail.body.remaining).toMatchObject({ allocatedFen: 90_000, remainingFen: 10_000 });

    const first = detail.body.allocations[0];
    const over = await api(t.baseUrl, 'POST', `/api/timebank/gifts/${gift.body.gift.id}/allocations/${first.id}/return`, sup, { amountFen: 30_001 });
    expect(over.body.error.code).toBe('donation/over-return');
    const back = await api(t.baseUrl, 'POST', `/api/timebank/gifts/${gift.body.gift.id}/allocations/${first.id}/return`, sup, { amountFen: 10_000 });
    expect(back.status).toBe(201);
    expect(back.body.remaining.remainingFen).toBe(20_000);
    expect((await api(t.baseUrl, 'GET', `/api/timebank/gifts/${gift.body.gift.id}`, outsider)).status).toBe(404);
    expect((await api(t.baseUrl, 'GET', `/api/timebank/gifts/${gift.body.gift.id}`, dispatcher)).status).toBe(403);
  });

  it('when donated goods go to the shop, then the item stock grows by the pieces, and the report names each destination', async () => {
    const donor = await api(t.baseUrl, 'POST', '/api/timebank/donors', sup, { kind: 'person', name: '王先生', districtCode: tree.district });
    const gift = await api(t.baseUrl, 'POST', '/api/timebank/gifts', sup, { donorId: donor.body.id, kind: 'goods', receivedOn: '2026-03-02', items: [{ name: '轮椅', quantity: 2, unitValueFen: 80_000 }, { name: '大米 10kg', quantity: 10, unitValueFen: 6_000 }] });
    expect(gift.status).toBe(201);
    const item = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', sup, { kind: 'goods', name: '大米 10kg', priceUnits: 300, stock: 0 });
    const toShop = await api(t.baseUrl, 'POST', `/api/timebank/gifts/${gift.body.gift.id}/allocations`, sup, { destination: { kind: 'shop_stock', id: item.body.id }, itemId: 'i2', quantity: 6 });
    expect(toShop.status).toBe(201);
    const [stock] = await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.body.id]);
    expect(stock.stock).toBe(6);
    const person = await makePerson(ds, tree.community);
    expect((await api(t.baseUrl, 'POST', `/api/timebank/gifts/${gift.body.gift.id}/allocations`, sup, { destination: { kind: 'person', id: person.id }, itemId: 'i1', quantity: 3 })).body.error.code).toBe('donation/over-allocation');
    expect((await api(t.baseUrl, 'POST', `/api/timebank/gifts/${gift.body.gift.id}/allocations`, sup, { destination: { kind: 'person', id: person.id }, itemId: 'i1', quantity: 1 })).status).toBe(201);
    const report = await api(t.baseUrl, 'GET', '/api/timebank/reports/donations', sup);
    expect(report.body.rows).toEqual(expect.arrayContaining([
      { kind: 'shop_stock', id: item.body.id, name: '大米 10kg', pieces: 6, valueFen: 36_000, amountFen: 0 },
      { kind: 'person', id: person.id, name: expect.any(String), pieces: 1, valueFen: 80_000, amountFen: 0 },
    ]));
  });
});

/** The demo dispatch seeder: providers with Chinese names and field workers, volunteers, all searchable. */
import { District } from '../../../server/src/districts/district.entity';
import { searchCandidates } from '../../../server/src/dispatch/candidate-search';
import { testDataSource } from '../../../server/test/support/test-app';
import { demoCommunities, demoDistricts } from './demo-districts';
import { seedDispatchPeople } from './demo-dispatch';

it('when the dispatch people are seeded, then providers, field workers and volunteers sit in demo districts and the candidate search finds them', async () => {
  const ds = await testDataSource();
  try {
    await ds.createQueryBuilder().insert().into(District).values(demoDistricts()).orIgnore().execute();
    const seed = `test-${Date.now()}`;
    const result = await seedDispatchPeople(ds, { providers: 3, volunteers: 40, seed, today: '2026-12-06' });
    expect(result).toMatchObject({ providers: 3, volunteers: 40 });
    expect(result.fieldWorkers).toBeGreaterThanOrEqual(3);
    const [p] = await ds.query(`SELECT name, services FROM provider WHERE credit_code LIKE '%330100%' ORDER BY created_at DESC LIMIT 1`);
    expect(p.name).toMatch(/[区县].+(中心|社|公司|站|部)/);
    const c = demoCommunities()[0]!;
    const found = await searchCandidates(ds.manager, { lat: c.lat, lng: c.lng, skills: [], personId: null, limit: 300, scopePrefix: null });
    expect(found.length).toBeGreaterThan(0);
  } finally {
    await ds.destroy();
  }
});

import bundled from '../catalogue/services.json';
import {
  defaultServiceCatalogue,
  dispatchDueAt,
  loadServiceCatalogue,
  needsTwoPeople,
  offerPlanFor,
  requirementsFor,
  ServiceCatalogueError,
} from './service-catalogue';
import { SERVICE_CODES, type Priority, type ServiceCode } from './vocabulary';

type Json = Record<string, any>;
const base = (): Json => structuredClone(bundled) as Json;

function issuesOf(input: unknown): { entry: string | null; message: string }[] {
  try {
    loadServiceCatalogue(input);
  } catch (err) {
    if (err instanceof ServiceCatalogueError) return err.issues;
    throw err;
  }
  return [];
}

describe('loadServiceCatalogue', () => {
  it('when the bundled catalogue is loaded, then it has the eight services and order fulfilment', () => {
    const catalogue = defaultServiceCatalogue();
    expect(Object.keys(catalogue.services).sort()).toEqual([...SERVICE_CODES].sort());
    expect(Object.values(catalogue.services).map((s) => s.nameZh)).toEqual(expect.arrayContaining(['助行', '助医', '助餐', '助亲', '助购', '助急', '助乐', '助游']));
  });

  it('when an entry leaves out the offer timeout, then it defaults to 120 s', () => {
    const c = base();
    delete c.services.shopping.offerTimeoutSeconds;
    expect(loadServiceCatalogue(c).services.shopping.offerTimeoutSeconds).toBe(120);
  });

  it.each<[string, (c: Json) => void, string | null, RegExp]>([
    ['a service is missing', (c) => delete c.services.outing, 'outing', /^the entry is missing/],
    ['an unknown service is added', (c) => (c.services.help_swim = c.services.outing), 'help_swim', /^not a known service/],
    ['a skill is misspelt', (c) => (c.services.meals.requiredSkills = ['meal_delivry']), 'meals', /requiredSkills\.0: /],
    ['a skill is listed twice', (c) => (c.services.meals.requiredSkills = ['meal_delivery', 'meal_delivery']), 'meals', /requiredSkills: a skill is listed twice/],
    ['a certification rule is empty', (c) => (c.services.medical_escort.certification = { anyOf: [] }), 'medical_escort', /certification\.anyOf: anyOf needs at least one/],
    ['a certification is unknown', (c) => (c.services.medical_escort.certification = { anyOf: ['witchcraft'] }), 'medical_escort', /certification\.anyOf\.0: /],
    ['the duration is zero', (c) => (c.services.shopping.defaultDurationMinutes = 0), 'shopping', /defaultDurationMinutes: /],
    ['the duration is a fraction', (c) => (c.services.shopping.defaultDurationMinutes = 1.5), 'shopping', /defaultDurationMinutes: /],
    ['the preference is unknown', (c) => (c.services.recreation.preferredAssignee = 'robot'), 'recreation', /preferredAssignee: /],
    ['an SLA priority is missing', (c) => delete c.services.family_visit.slaMinutes.P3, 'family_visit', /slaMinutes\.P3: /],
    ['P1 allows longer than P2', (c) => (c.services.shopping.slaMinutes.P1 = 5000), 'shopping', /slaMinutes: P1 \(5000\) allows longer than P2 \(1440\)/],
    ['the night window is not a time', (c) => (c.services.help_walk.twoPersonAtNight.from = '25:00'), 'help_walk', /twoPersonAtNight\.from: from must be HH:MM/],
    ['the night window is empty', (c) => (c.services.help_walk.twoPersonAtNight = { from: '22:00', to: '22:00' }), 'help_walk', /twoPersonAtNight: from and to are the same time/],
    ['the offer timeout is too short', (c) => (c.services.urgent_help.offerTimeoutSeconds = 5), 'urgent_help', /offerTimeoutSeconds: /],
    ['parallel offers is zero', (c) => (c.services.urgent_help.parallelOffers = 0), 'urgent_help', /parallelOffers: /],
    ['a task repeats a service skill', (c) => (c.services.help_walk.tasks.wheelchair_transfer.requiredSkills = ['mobility_assist']), 'help_walk', /tasks\.wheelchair_transfer: skill "mobility_assist" is already required/],
    ['a task name has capitals', (c) => (c.services.help_walk.tasks.Stairs = { nameZh: '上下楼', requiredSkills: [] }), 'help_walk', /tasks\.Stairs: task names are a-z/],
    ['an entry has an unknown field', (c) => (c.services.meals.colour = 'red'), 'meals', /colour|unrecognized/i],
    ['the life-or-property limit is missing', (c) => delete c.lifeOrPropertySlaMinutes, null, /lifeOrPropertySlaMinutes: /],
  ])('when %s, then loading fails naming the entry', (_, mutate, entry, message) => {
    const c = base();
    mutate(c);
    const issues = issuesOf(c);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues).toContainEqual({ entry, message: expect.stringMatching(message) });
  });

  it('when several entries are bad, then the error lists each one by name', () => {
    const c = base();
    c.services.meals.defaultDurationMinutes = -1;
    c.services.outing.parallelOffers = 99;
    const err = (() => {
      try {
        loadServiceCatalogue(c);
      } catch (e) {
        return e as Error;
      }
      throw new Error('loaded a bad catalogue');
    })();
    expect(err.message).toMatch(/service "meals": defaultDurationMinutes/);
    expect(err.message).toMatch(/service "outing": parallelOffers/);
  });
});

describe('reading the catalogue', () => {
  const catalogue = defaultServiceCatalogue();

  it.each<[ServiceCode, string | null, string[], string[][]]>([
    ['help_walk', null, ['mobility_assist'], []],
    ['help_walk', 'wheelchair_transfer', ['mobility_assist', 'wheelchair_transfer'], []],
    ['medical_escort', null, ['medical_escort'], [['first_aid', 'nursing']]],
    ['outing', 'with_car', ['outing_escort', 'driving'], [['first_aid'], ['driving_licence']]],
    ['meals', 'home_cooking', ['meal_delivery', 'cooking'], [['food_handling']]],
  ])('when %s (task %s) is requested, then it needs skills %j and certifications %j', (service, task, skills, certs) => {
    const r = requirementsFor(catalogue, service, task);
    expect(r.skills).toEqual(skills);
    expect(r.certifications.map((c) => c.anyOf)).toEqual(certs);
  });

  it('when a task the service does not have is requested, then it is refused by name', () => {
    expect(() => requirementsFor(catalogue, 'meals', 'wheelchair_transfer')).toThrow('service "meals" has no task "wheelchair_transfer"');
  });

  const ordered = new Date('2026-12-05T10:00:00+08:00');
  it.each<[ServiceCode, Priority, boolean, number]>([
    ['shopping', 'P2', false, 24 * 60],
    ['shopping', 'P2', true, 60], // life or property: within 1 hour
    ['shopping', 'P1', false, 60],
    ['shopping', 'P0', true, 15], // already shorter than the life-or-property limit
    ['urgent_help', 'P3', false, 15], // 助急: 15 minutes whatever the priority
    ['urgent_help', 'P2', true, 15],
    ['medical_escort', 'P2', false, 720],
    ['recreation', 'P3', false, 7 * 24 * 60],
  ])('when a %s order is %s (life or property: %s), then it is due for dispatch in %i minutes', (service, priority, lifeOrProperty, minutes) => {
    expect(dispatchDueAt(catalogue, { service, priority, lifeOrProperty }, ordered).getTime() - ordered.getTime()).toBe(minutes * 60_000);
  });

  it.each<[ServiceCode, string, boolean, boolean]>([
    ['help_walk', '2026-12-05T21:59:00+08:00', false, false],
    ['help_walk', '2026-12-05T22:00:00+08:00', false, true],
    ['help_walk', '2026-12-06T05:59:00+08:00', false, true], // the window wraps past midnight
    ['help_walk', '2026-12-06T06:00:00+08:00', false, false],
    ['help_walk', '2026-12-05T14:00:00Z', false, true], // 22:00 in Shanghai
    ['meals', '2026-12-05T23:00:00+08:00', false, false], // no night rule for meals
    ['meals', '2026-12-05T12:00:00+08:00', true, true], // the person is flagged
    ['family_visit', '2026-12-05T21:00:00+08:00', false, true],
  ])('when %s starts at %s (person flagged: %s), then two people needed is %s', (service, at, flagged, expected) => {
    expect(needsTwoPeople(catalogue, service, new Date(at), flagged)).toBe(expected);
  });

  it.each<[ServiceCode, Priority, number, number]>([
    ['shopping', 'P2', 1, 180_000],
    ['help_walk', 'P2', 1, 120_000],
    ['help_walk', 'P0', 3, 120_000], // urgent jobs go out in parallel
    ['urgent_help', 'P1', 3, 60_000],
  ])('when a %s job is %s, then %i offers go out at once with a %i ms timeout', (service, priority, parallel, timeoutMs) => {
    expect(offerPlanFor(catalogue, service, priority)).toEqual({ parallel, timeoutMs });
  });
});

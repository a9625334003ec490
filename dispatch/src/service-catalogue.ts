/**
 * Loading the service catalogue and reading it: what a job needs (skills, certifications, two people),
 * when it must be dispatched and how its offers go out. Every problem found at load names the service
 * it is in, so a broken catalogue file is fixed in one go.
 */
import bundled from '../catalogue/services.json';
import { catalogueSchema, type CertificationRule, type ServiceCatalogue, type ServiceDefinition } from './service-catalogue.schema';
import { clockMinutes, inClockWindow, shanghaiMinuteOfDay } from './shanghai-time';
import { PRIORITIES, SERVICE_CODES, type Priority, type ServiceCode, type Skill } from './vocabulary';

export interface CatalogueIssue {
  /** The service the problem is in; null for catalogue-wide fields. */
  entry: string | null;
  message: string;
}

/** A catalogue that must not be used. `message` lists every issue, one per line. */
export class ServiceCatalogueError extends Error {
  constructor(readonly issues: CatalogueIssue[]) {
    super(`invalid service catalogue:\n${issues.map((i) => `  ${i.entry ? `service "${i.entry}": ` : ''}${i.message}`).join('\n')}`);
    this.name = 'ServiceCatalogueError';
  }
}

/**
 * Parse and check a catalogue; throws {@link ServiceCatalogueError} naming each bad entry.
 * @example const catalogue = loadServiceCatalogue(JSON.parse(fs.readFileSync(file, 'utf8')));
 */
export function loadServiceCatalogue(input: unknown): ServiceCatalogue {
  const parsed = catalogueSchema.safeParse(input);
  if (!parsed.success) {
    throw new ServiceCatalogueError(
      parsed.error.issues.flatMap((i): CatalogueIssue[] => {
        const [head, entry, ...rest] = i.path.map(String);
        if (head === 'services' && i.path.length === 1 && i.code === 'unrecognized_keys') {
          return i.keys.map((key) => ({ entry: key, message: `not a known service (known: ${SERVICE_CODES.join(', ')})` }));
        }
        if (head === 'services' && entry !== undefined) {
          if (!rest.length && i.code === 'invalid_type' && i.input === undefined) return [{ entry, message: 'the entry is missing: every service needs one' }];
          return [{ entry, message: `${rest.join('.') || '(entry)'}: ${i.message}` }];
        }
        return [{ entry: null, message: `${i.path.join('.') || '(catalogue)'}: ${i.message}` }];
      }),
    );
  }
  const catalogue = parsed.data;
  const issues = Object.entries(catalogue.services).flatMap(([code, service]) => checkService(code, service));
  if (issues.length) throw new ServiceCatalogueError(issues);
  return catalogue;
}

function checkService(code: string, s: ServiceDefinition): CatalogueIssue[] {
  const issues: CatalogueIssue[] = [];
  for (let i = 1; i < PRIORITIES.length; i++) {
    const [higher, lower] = [PRIORITIES[i - 1]!, PRIORITIES[i]!];
    if (s.slaMinutes[higher] > s.slaMinutes[lower]) {
      issues.push({ entry: code, message: `slaMinutes: ${higher} (${s.slaMinutes[higher]}) allows longer than ${lower} (${s.slaMinutes[lower]})` });
    }
  }
  if (s.twoPersonAtNight && clockMinutes(s.twoPersonAtNight.from) === clockMinutes(s.twoPersonAtNight.to)) {
    issues.push({ entry: code, message: 'twoPersonAtNight: from and to are the same time' });
  }
  for (const [task, t] of Object.entries(s.tasks)) {
    if (!TASK_NAME.test(task)) issues.push({ entry: code, message: `tasks.${task}: task names are a-z, 0-9 and _, starting with a letter` });
    for (const skill of t.requiredSkills) {
      if (s.requiredSkills.includes(skill)) issues.push({ entry: code, message: `tasks.${task}: skill "${skill}" is already required by the service` });
    }
  }
  return issues;
}

const TASK_NAME = /^[a-z][a-z0-9_]{0,39}$/;

let defaultCatalogue: ServiceCatalogue | undefined;

/** The bundled catalogue (`dispatch/catalogue/services.json`), validated once. */
export function defaultServiceCatalogue(): ServiceCatalogue {
  defaultCatalogue ??= loadServiceCatalogue(bundled);
  return defaultCatalogue;
}

export function serviceOf(catalogue: ServiceCatalogue, code: ServiceCode): ServiceDefinition {
  return catalogue.services[code];
}

export interface ServiceRequirements {
  skills: Skill[];
  /** Each rule needs one valid certification of its list. */
  certifications: CertificationRule[];
}

/**
 * Skills and certifications a job of this service (and task) needs.
 * @example requirementsFor(catalogue, 'help_walk', 'wheelchair_transfer') // skills mobility_assist + wheelchair_transfer
 */
export function requirementsFor(catalogue: ServiceCatalogue, code: ServiceCode, task?: string | null): ServiceRequirements {
  const service = serviceOf(catalogue, code);
  const t = task ? service.tasks[task] : undefined;
  if (task && !t) throw new RangeError(`service "${code}" has no task "${task}"`);
  return {
    skills: [...service.requiredSkills, ...(t?.requiredSkills ?? [])],
    certifications: [service.certification, t?.certification ?? null].filter((c): c is CertificationRule => c !== null),
  };
}

export interface SlaInput {
  service: ServiceCode;
  priority: Priority;
  /** The order concerns life or property (生命财产安全): dispatched within the catalogue-wide limit. */
  lifeOrProperty: boolean;
}

/**
 * When the job must be dispatched: the service's minutes for the priority, capped at the life-or-property
 * limit when that applies (助急 stays at its 15 minutes).
 * @example dispatchDueAt(catalogue, { service: 'shopping', priority: 'P2', lifeOrProperty: true }, orderedAt) // +60 min
 */
export function dispatchDueAt(catalogue: ServiceCatalogue, input: SlaInput, orderedAt: Date): Date {
  const byPriority = serviceOf(catalogue, input.service).slaMinutes[input.priority];
  const minutes = input.lifeOrProperty ? Math.min(byPriority, catalogue.lifeOrPropertySlaMinutes) : byPriority;
  return new Date(orderedAt.getTime() + minutes * 60_000);
}

/**
 * Whether two people must go: the visit starts in the service's night window, or the person is flagged.
 * @example needsTwoPeople(catalogue, 'help_walk', new Date('2026-12-05T23:30:00+08:00'), false) // true
 */
export function needsTwoPeople(catalogue: ServiceCatalogue, code: ServiceCode, start: Date, personFlagged: boolean): boolean {
  if (personFlagged) return true;
  const night = serviceOf(catalogue, code).twoPersonAtNight;
  return night !== null && inClockWindow(shanghaiMinuteOfDay(start), night.from, night.to);
}

export interface OfferPlan {
  /** Offers open at once (1 = one after another). */
  parallel: number;
  timeoutMs: number;
}

/** How offers go out for a job: urgent (P0) jobs use at least the catalogue's parallel figure. */
export function offerPlanFor(catalogue: ServiceCatalogue, code: ServiceCode, priority: Priority): OfferPlan {
  const service = serviceOf(catalogue, code);
  const parallel = priority === 'P0' ? Math.max(service.parallelOffers, catalogue.urgentParallelOffers) : service.parallelOffers;
  return { parallel, timeoutMs: service.offerTimeoutSeconds * 1000 };
}

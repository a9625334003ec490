/**
 * The shape of the service catalogue (`dispatch/catalogue/services.json`): one entry per service with
 * what the engine needs to filter, rank and offer. Shape only; the rules spanning fields live in
 * `load-service-catalogue.ts`.
 */
import { z } from 'zod';
import { CANDIDATE_KINDS, CERTIFICATIONS, PRIORITIES, SERVICE_CODES, SKILLS } from './vocabulary';

/** `HH:MM` local time in Asia/Shanghai, 00:00–24:00. */
export const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const skillList = z.array(z.enum(SKILLS)).refine((s) => new Set(s).size === s.length, 'a skill is listed twice');

const certificationRuleSchema = z.strictObject({
  /** A candidate needs at least one of these, valid on the job date. */
  anyOf: z.array(z.enum(CERTIFICATIONS)).min(1, 'anyOf needs at least one certification'),
});

const taskSchema = z.strictObject({
  nameZh: z.string().trim().min(1).max(40),
  /** Skills needed on top of the service's own. */
  requiredSkills: skillList,
  certification: certificationRuleSchema.nullable().default(null),
});

const minutes = (max: number) => z.number().int().min(1).max(max);

export const serviceSchema = z.strictObject({
  nameZh: z.string().trim().min(1).max(20),
  defaultDurationMinutes: minutes(24 * 60),
  requiredSkills: skillList,
  /** Named variants of the service that need more (助行 → 轮椅转移 needs `wheelchair_transfer`). */
  tasks: z.record(z.string(), taskSchema).default({}),
  /** Who the ranking favours; `either` gives both kinds the full preference part. */
  preferredAssignee: z.enum([...CANDIDATE_KINDS, 'either']),
  certification: certificationRuleSchema.nullable(),
  /** Minutes from the order to dispatch, by priority (life-or-property orders are capped by the catalogue-wide figure). */
  slaMinutes: z.strictObject({ P0: minutes(7 * 24 * 60), P1: minutes(7 * 24 * 60), P2: minutes(7 * 24 * 60), P3: minutes(7 * 24 * 60) }),
  /** Visits starting in this local window need two people at the door; null: only when the person is flagged. */
  twoPersonAtNight: z.strictObject({ from: z.string().regex(CLOCK_TIME, 'from must be HH:MM'), to: z.string().regex(CLOCK_TIME, 'to must be HH:MM') }).nullable(),
  /** How long a candidate has to answer an offer (default 120 s). */
  offerTimeoutSeconds: z.number().int().min(15).max(3600).default(120),
  /** Offers open at once; 1 is a sequential cascade. P0 jobs use at least the catalogue's `urgentParallelOffers`. */
  parallelOffers: z.number().int().min(1).max(10),
});

export const catalogueSchema = z.strictObject({
  $comment: z.string().optional(),
  /** Life-or-property orders are dispatched within this, whatever the service says (1 hour). */
  lifeOrPropertySlaMinutes: minutes(24 * 60),
  urgentParallelOffers: z.number().int().min(1).max(10),
  services: z.record(z.enum(SERVICE_CODES), serviceSchema),
});

export type CertificationRule = z.infer<typeof certificationRuleSchema>;
export type ServiceTask = z.infer<typeof taskSchema>;
export type ServiceDefinition = z.infer<typeof serviceSchema>;
export type ServiceCatalogue = z.infer<typeof catalogueSchema>;
export { PRIORITIES };

import { z } from 'zod';

/** The most candidates one person may block (a complaint each; more is a case for the supervisor). */
export const MAX_BLOCKED_CANDIDATES = 50;

/**
 * `PUT /api/persons/:id/dispatch-prefs`: the whole set of visit preferences, the version read (0 when none
 * were stored yet) and why they change (kept in the person's history).
 */
export const visitPrefsSchema = z
  .object({
    genderPreference: z.enum(['female', 'male']).nullable(),
    twoPersonVisit: z.boolean(),
    noLoneVolunteer: z.boolean(),
    blockedCandidateIds: z
      .array(z.string().uuid('候选人 id 必须是 UUID'))
      .max(MAX_BLOCKED_CANDIDATES, `最多屏蔽 ${MAX_BLOCKED_CANDIDATES} 名服务人员`)
      .refine((ids) => new Set(ids).size === ids.length, '屏蔽名单有重复'),
    note: z.string().trim().min(2, '请填写修改原因').max(500),
    version: z.number().int().min(0),
  })
  .strict();
export type VisitPrefsInput = z.infer<typeof visitPrefsSchema>;

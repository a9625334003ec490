import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const text = (max: number, what: string) => z.string().trim().min(1).max(max).regex(NO_CONTROL, `${what}不能含控制字符`);

/**
 * `GET /api/audit` and `/api/audit/export.csv`: the filters an auditor searches by. Newest first, keyset paged
 * by `before` (the `nextCursor` of the previous page).
 */
export const auditSearchSchema = z
  .object({
    /** Exact username of who acted. */
    actor: text(64, '操作人'),
    /** Entries naming this person among their subjects. */
    person: z.string().uuid('person 必须是 UUID'),
    /** Action prefix: `person.` finds person.read, person.reveal … */
    action: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9._:-]+$/, '操作只能含字母、数字和 . _ : -'),
    from: z.iso.datetime({ offset: true, message: 'from 必须是 ISO 8601 时间' }),
    to: z.iso.datetime({ offset: true, message: 'to 必须是 ISO 8601 时间' }),
    /** Substring of the purpose, case-insensitive. */
    purpose: text(200, '目的'),
    outcome: z.enum(['ok', 'denied', 'failed']),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.string().regex(/^[1-9]\d{0,18}$/, 'before 必须是上一页的 nextCursor'),
  })
  .partial({ actor: true, person: true, action: true, from: true, to: true, purpose: true, outcome: true, before: true })
  .strict()
  .refine((v) => !v.from || !v.to || Date.parse(v.from) <= Date.parse(v.to), { message: '开始时间不能晚于结束时间', path: ['to'] });
export type AuditSearchQuery = z.infer<typeof auditSearchSchema>;

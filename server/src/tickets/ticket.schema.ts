import { z } from 'zod';
import { CALLER_RELATIONS, SATISFACTION, SERVICE_TYPES, TICKET_ACTION_NAMES, TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, type TicketAction } from './ticket';

export const createTicketSchema = z
  .object({
    category: z.enum(TICKET_CATEGORIES),
    serviceType: z.enum(SERVICE_TYPES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    personId: z.string().uuid().optional(),
    callerRelation: z.enum(CALLER_RELATIONS).default('self'),
    channel: z.enum(TICKET_CHANNELS).default('phone'),
    summary: z.string().trim().min(2, '请填写诉求摘要（至少 2 个字）').max(2000),
    callId: z.string().uuid().optional(),
    confidential: z.boolean().default(false),
  })
  .strict()
  .refine((t) => t.category !== 'life_service' || t.serviceType, { message: '生活服务类工单必须选择服务类型 (serviceType)', path: ['serviceType'] })
  .refine((t) => t.category === 'life_service' || !t.serviceType, { message: '只有生活服务类工单有服务类型', path: ['serviceType'] });
export type CreateTicketInput = z.infer<typeof createTicketSchema>;

export const transitionSchema = z
  .object({
    action: z.enum(TICKET_ACTION_NAMES as [TicketAction, ...TicketAction[]]),
    note: z.string().trim().max(2000).optional(),
    satisfaction: z.enum(SATISFACTION).optional(),
    /** Optimistic lock: the version the client saw. */
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((t) => t.action !== 'record_callback' || t.satisfaction, { message: '回访结果需要满意度 (satisfaction)', path: ['satisfaction'] });
export type TransitionInput = z.infer<typeof transitionSchema>;

export const noteSchema = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
export const linkCallSchema = z.object({ callId: z.string().uuid() }).strict();

export const listTicketsSchema = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    category: z.enum(TICKET_CATEGORIES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    personId: z.string().uuid().optional(),
    open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListTicketsQuery = z.infer<typeof listTicketsSchema>;

import { z } from 'zod';
import { stripControlCharacters } from '../shared/control-characters';

export const ALARM_TYPES = ['sos', 'fall', 'smoke', 'gas', 'water_leak', 'door_open', 'inactivity', 'health_abnormal', 'heartbeat', 'low_battery'] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];

export const ALARM_DETAIL_MAX = 200;

/**
 * A device's `detail` as it is recorded: one line, without control characters, at most 200 characters
 * (whole code points), `undefined` when nothing is left.
 * @example alarmDetail('摔倒\u0000了') // '摔倒了'
 */
export function alarmDetail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = [...stripControlCharacters(value.replace(/[\r\n\t\u2028\u2029]+/g, ' ')).trim()].slice(0, ALARM_DETAIL_MAX).join('').trim();
  return text || undefined;
}

/** The JSON body of `POST /api/alarms`. */
export const alarmBodySchema = z
  .object({
    type: z.enum(ALARM_TYPES),
    /** When the device saw it (ISO 8601); the receive time is used when absent. */
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    battery: z.number().int().min(0).max(100).optional(),
    /** The person pressed a silent alarm (cannot or must not speak). */
    silent: z.boolean().optional(),
    /**
     * Free text from the device. An SOS is never refused for it: control characters are stripped, the text is
     * cut to {@link ALARM_DETAIL_MAX} characters, and anything but a string is dropped.
     */
    detail: z.unknown().transform(alarmDetail).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
  })
  .strict();
export type AlarmBody = z.infer<typeof alarmBodySchema>;

const token = (max: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_.:-]{1,${max}}$`));

/** The authentication headers; any missing or malformed one is a 401 (no hint which). */
export const alarmAuthHeadersSchema = z.object({
  'x-anxin-device': token(64),
  'x-anxin-timestamp': z.string().regex(/^\d{9,11}$/),
  'x-anxin-signature': z.string().regex(/^v1=[0-9a-f]{64}$/),
});

export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Idempotency-Key: 8–100 characters of A-Z a-z 0-9 _ . : -');

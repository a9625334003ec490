/**
 * The shape of an IVR flow file (`ivr/flows/*.flow.json`). Shape only; the rules that span nodes
 * (targets exist, every path reaches a queue, …) live in `validate-flow.ts`.
 *
 * Every string that ends up in the Asterisk dialplan is restricted to characters that cannot break out
 * of an application argument (no commas, parentheses, semicolons, `$`, newlines).
 */
import { z } from 'zod';

export const NODE_ID = /^[a-z][a-z0-9_]{0,30}$/;
/** Menu keys: digits and `*`. `#` ends input in Asterisk's Read(), so it cannot be an option. */
export const MENU_KEY = /^[0-9*]$/;
const SOUND = /^[a-z0-9][a-z0-9_/-]{0,79}$/;
const QUEUE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
/** Reported as `UserEvent AnxinIvr Choice:` and stored in `call.ivr_choice` (8 characters). */
const CHOICE = /^[A-Za-z0-9_]{1,8}$/;

export const promptSchema = z
  .object({
    /** What is said (TwiML `<Say>`), Mandarin. */
    text: z.string().trim().min(1, 'prompt text is empty').max(500),
    /** Asterisk sound file without extension, relative to the channel language (`anxin/welcome` → sounds/zh/anxin/welcome.wav). */
    sound: z.string().regex(SOUND, 'sound must be a file name like anxin/welcome (a-z, 0-9, _ - /)'),
    /** `slow` for the slow-speech variant (TwiML prosody; record the Asterisk file slowly). */
    rate: z.enum(['normal', 'slow']).default('normal'),
  })
  .strict();

export const menuNodeSchema = z
  .object({
    type: z.literal('menu'),
    prompt: promptSchema,
    invalidPrompt: promptSchema.optional(),
    /** Seconds to wait for a key after the prompt. */
    timeoutSeconds: z.number().int().min(1).max(30),
    /** How many times the menu is played before giving up (no input or wrong keys). */
    attempts: z.number().int().min(1).max(5),
    /** Key → node. */
    options: z.record(z.string(), z.string()).refine((o) => Object.keys(o).length > 0, 'a menu needs at least one option'),
    /** Where a caller goes after the last attempt without a valid key. Must lead to a queue. */
    noInput: z.string(),
  })
  .strict();

export const queueNodeSchema = z
  .object({
    type: z.literal('queue'),
    /** What the server is told the caller chose. */
    choice: z.string().regex(CHOICE, 'choice must be 1–8 letters, digits or _'),
    queue: z.string().regex(QUEUE, 'queue must be letters, digits, _ or -'),
    /** Queue priority 0–9 (10 is reserved for SOS devices). */
    priority: z.number().int().min(0).max(9),
    prompt: promptSchema.optional(),
  })
  .strict();

export const nodeSchema = z.discriminatedUnion('type', [menuNodeSchema, queueNodeSchema]);

export const flowSchema = z
  .object({
    $comment: z.string().optional(),
    id: z.string().regex(NODE_ID, 'flow id must look like hotline (a-z, 0-9, _)'),
    name: z.string().trim().min(1).max(100),
    /** Numbers dialled into this flow (digits as the trunk presents them). */
    dids: z.array(z.string().regex(/^\d{3,20}$/, 'a DID is 3–20 digits')).min(1),
    start: z.string(),
    /** Node known callers go to directly (skipping the menu); null keeps them in the menu. */
    knownCaller: z.string().nullable().default(null),
    tts: z
      .object({ voice: z.string().min(1), language: z.string().min(2) })
      .strict()
      .default({ voice: 'Polly.Zhiyu', language: 'cmn-CN' }),
    /** Registered SOS devices: no menu, top priority. */
    sos: z
      .object({
        queue: z.string().regex(QUEUE),
        /** Twilio has no queue priorities: SOS calls wait in a queue of their own. */
        twilioQueue: z.string().regex(QUEUE),
        prompt: promptSchema,
      })
      .strict(),
    nodes: z.record(z.string(), nodeSchema),
  })
  .strict();

export type IvrPrompt = z.infer<typeof promptSchema>;
export type MenuNode = z.infer<typeof menuNodeSchema>;
export type QueueNode = z.infer<typeof queueNodeSchema>;
export type IvrNode = z.infer<typeof nodeSchema>;
export type IvrFlow = z.infer<typeof flowSchema>;

/** The queue priority SOS devices join with (the recorded PBX uses 10). */
export const SOS_QUEUE_PRIORITY = 10;

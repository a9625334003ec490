import { z } from 'zod';
import { everySeconds } from '../scheduler/cadence';
import { callerSideEnv } from '../sos/caller-side.config';
import { timebankEnv } from '../timebank/timebank.config';

/** AMI URL such as `ami://hotline:secret@127.0.0.1:5038`. */
const amiUrl = z
  .string()
  .url()
  .transform((value, ctx) => {
    const url = new URL(value);
    if (url.protocol !== 'ami:') {
      ctx.addIssue({ code: 'custom', message: 'must start with ami://' });
      return z.NEVER;
    }
    if (!url.username || !url.password) {
      ctx.addIssue({ code: 'custom', message: 'must carry user and secret: ami://user:secret@host:5038' });
      return z.NEVER;
    }
    return {
      host: url.hostname,
      port: Number(url.port || 5038),
      username: decodeURIComponent(url.username),
      secret: decodeURIComponent(url.password),
    };
  });

/** Whether a period in seconds can be a scheduler cadence. */
function fitsCadence(seconds: number): boolean {
  try {
    everySeconds(seconds);
    return true;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  ASTERISK_AMI_URL: amiUrl.optional(),
  /** Interface pattern of queue members; `{ext}` is the agent extension. */
  ASTERISK_MEMBER_INTERFACE: z.string().default('Local/{ext}@agents/n'),
  ASTERISK_QUEUE: z.string().default('hotline'),
  ASTERISK_OUTBOUND_CONTEXT: z.string().default('from-internal'),
  /** AMI reconnect backoff: first delay and cap (each delay jittered between half and all of it). */
  ASTERISK_RECONNECT_INITIAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  ASTERISK_RECONNECT_MAX_MS: z.coerce.number().int().min(100).max(300_000).default(3000),
  HOTLINE_NUMBER: z.string().default('4008001234'),
  /** Directory of the built agent console to serve (default: agent-console/dist); tests point it at their own build. */
  CONSOLE_DIR: z.string().optional(),
  /** Console softphone: Asterisk's WebSocket (WSS) endpoint, e.g. `wss://pbx.example.org:8089/ws`. Unset → softphone off. */
  SIP_WSS_URL: z.string().regex(/^wss?:\/\/[^\s]+$/, 'must be a ws:// or wss:// URL').optional(),
  /** SIP domain of agent endpoints (`8001@<domain>`); defaults to the host of SIP_WSS_URL. */
  SIP_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a host name').optional(),
  /** Secret from which each agent endpoint's SIP password is derived (HMAC-SHA256 of the extension). ≥ 16 chars. */
  SIP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Comma-separated STUN/TURN URLs for the softphone's ICE, e.g. `stun:stun.example.org:3478`. */
  SIP_ICE_SERVERS: z.string().regex(/^(?:(?:stuns?|turns?):[^\s,]+)(?:,(?:stuns?|turns?):[^\s,]+)*$/, 'comma-separated stun:/turn: URLs').optional(),
  /** Secret from which field-encryption and lookup-hash keys are derived (HKDF). ≥ 32 chars. */
  ANXIN_DATA_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Signed audit-chain checkpoints (JSON lines), outside the database; default `<DATA_DIR>/audit-checkpoints.jsonl`. */
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  /** Absolute lifetime of a session. */
  SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(8 * 60),
  /** A session unused this long ends (HTTP requests and socket commands count as use). */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Concurrent sessions per user; a new login ends the oldest. */
  SESSION_MAX_PER_USER: z.coerce.number().int().min(1).max(100).default(3),
  /** How often each node checks its sockets' sessions (expired, idle, user deactivated). */
  SESSION_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(15).refine(fitsCadence, 'must divide a minute or an hour evenly (1–6, 10, 12, 15, 20, 30, 60, 120 …)'),
  /** This node's name in the scheduler's status (default host:pid). */
  SCHEDULER_NODE_ID: z.string().regex(/^[\w.:-]{1,100}$/, 'letters, digits, . : - _ only (at most 100)').optional(),
  /** Failures per (account, IP) before that pair is refused for LOGIN_LOCK_MINUTES; also where the per-account delays start. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** The throttle window and the refusal time of a pair or an address. */
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Audited reveals of full personal data: most per user per window (then 429). */
  /** Largest persons-register upload (CSV or XLSX), in MB. */
  REGISTER_IMPORT_MAX_MB: z.coerce.number().int().min(1).max(2000).default(200),
  REVEAL_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
  REVEAL_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),
  /** Distinct persons one user reveals within the window that alert the security admins. */
  REVEAL_BULK_PERSONS: z.coerce.number().int().min(2).max(1000).default(5),
  /** Failures per IP (any accounts) before the address is refused. */
  /** Who must enrol a TOTP second factor: `privileged` (admin, security admin, auditor) or `all` staff. */
  TOTP_REQUIRED_FOR: z.enum(['privileged', 'all']).default('privileged'),
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Cap of the growing per-account delay (1 s, 2 s, 4 s …). */
  LOGIN_ACCOUNT_MAX_DELAY_SECONDS: z.coerce.number().int().min(0).max(60).default(8),
  /** Comma-separated origins allowed besides the server's own host (console behind another host name), e.g. `https://hotline.example.org`. */
  CONSOLE_ORIGIN: z
    .string()
    .regex(/^https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*$/, 'comma-separated origins such as https://hotline.example.org')
    .optional(),
  /** Where dispatch SMS links point (`https://hotline.example.org`): the field page is `<base>/f/<token>`. Default: the first CONSOLE_ORIGIN, else http://localhost:PORT. */
  FIELD_LINK_BASE_URL: z.string().regex(/^https?:\/\/[^\s,]+$/, 'an origin such as https://hotline.example.org').optional(),
  /** One-time password of the first admin on a production first start (else one is generated and printed once). */
  ANXIN_INITIAL_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Top-level district created on a production first start when the database has none. */
  ROOT_DISTRICT_CODE: z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code').default('000000'),
  ROOT_DISTRICT_NAME: z.string().min(1).max(50).default('本市'),
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  DEMO_PERSONS: z.coerce.number().int().min(0).max(1_000_000).default(200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** IVR, SOS, SMS and Twilio (see sos/caller-side.config.ts). */
  ...callerSideEnv,
  /** Time bank policy (see timebank/timebank.config.ts). */
  ...timebankEnv,
});

export type Config = z.infer<typeof envSchema> & { dataKey: string; dataKeyIsDemo: boolean };

/** A fixed development key, used only when none is configured outside production. */
const DEMO_DATA_KEY = 'anxin-demo-data-key-NOT-FOR-PRODUCTION-0001';

/**
 * Parse and validate the environment once, at start.
 * @throws Error with one line per bad variable; main prints it and exits.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable (`FOO=` in a compose file) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (!cfg.ANXIN_DATA_KEY && cfg.NODE_ENV === 'production') {
    throw new Error('Invalid configuration:\n  ANXIN_DATA_KEY: required in production (≥ 32 characters)');
  }
  if (cfg.NODE_ENV === 'production' && cfg.SEED_DEMO === 'always') {
    throw new Error('Invalid configuration:\n  SEED_DEMO: demo data is never seeded in production (use auto or never)');
  }
  return { ...cfg, dataKey: cfg.ANXIN_DATA_KEY ?? DEMO_DATA_KEY, dataKeyIsDemo: !cfg.ANXIN_DATA_KEY };
}

/** Whether this process runs the timers (`BACKGROUND_JOBS`, default on, off under NODE_ENV=test). */
export function backgroundJobsOn(config: Pick<Config, 'BACKGROUND_JOBS' | 'NODE_ENV'>): boolean {
  return (config.BACKGROUND_JOBS ?? (config.NODE_ENV === 'test' ? 'off' : 'on')) === 'on';
}

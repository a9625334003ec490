import { z } from 'zod';

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
  HOTLINE_NUMBER: z.string().default('4008001234'),
  /** Secret from which field-encryption and lookup-hash keys are derived (HKDF). ≥ 32 chars. */
  ANXIN_DATA_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(8 * 60),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  DEMO_PERSONS: z.coerce.number().int().min(0).max(1_000_000).default(200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  return { ...cfg, dataKey: cfg.ANXIN_DATA_KEY ?? DEMO_DATA_KEY, dataKeyIsDemo: !cfg.ANXIN_DATA_KEY };
}

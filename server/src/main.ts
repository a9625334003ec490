/**
 * The composition root: parse config → logger → database → services → app. Nothing else wires.
 * `npm start` runs this on the embedded PGlite with demo data on first start.
 */
import 'reflect-metadata';
import { openDatabase } from '../../db/src/database';
import { createFirstAdmin } from '../../db/src/seed/first-admin';
import { isEmpty, seedDemoData } from '../../db/src/seed/seed';
import { createApp } from './app';
import { loadConfig, type Config } from './config/config';
import { createLogger } from './config/logger';
import { systemClock } from './shared/clock';
import { fieldCryptoFromSecret } from './shared/crypto-from-config';
import { createTelephony } from './telephony/create-telephony';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const log = createLogger(config.LOG_LEVEL);
  if (config.dataKeyIsDemo) log.warn('ANXIN_DATA_KEY is not set: using the demo key (never in production)');

  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  log.info({ database: db.kind, applied: db.applied }, 'database ready');
  const crypto = fieldCryptoFromSecret(config.dataKey);

  const fresh = await isEmpty(db.ds);
  if (config.NODE_ENV === 'production') {
    // Never demo users or demo passwords in production: one admin with a one-time password instead.
    const first = fresh ? await createFirstAdmin(db.ds, { password: config.ANXIN_INITIAL_ADMIN_PASSWORD, rootDistrict: { code: config.ROOT_DISTRICT_CODE, name: config.ROOT_DISTRICT_NAME } }) : null;
    if (first) {
      log.warn({ username: first.username }, 'first start: created the first admin with a one-time password (must be changed at first login)');
      // Printed once, to stdout only (not to the structured log), and only when it was generated here.
      if (first.generated) console.log(`
安心 Anxin first start. Admin user: ${first.username}  one-time password: ${first.password}
(change it at first login; it is not shown again)
`);
      else console.log(`
安心 Anxin first start. Admin user: ${first.username}, one-time password from ANXIN_INITIAL_ADMIN_PASSWORD (change it at first login)
`);
    }
  } else if (config.SEED_DEMO === 'always' || (config.SEED_DEMO === 'auto' && fresh)) {
    if (!fresh) {
      log.info('SEED_DEMO=always but the database holds data: not seeding twice');
    } else {
      const seeded = await seedDemoData(db.ds, crypto, { persons: config.DEMO_PERSONS });
      log.info({ persons: seeded.persons, districts: seeded.districts }, 'demo data seeded');
      console.log(`\n安心 Anxin demo users (password ${seeded.password}):`);
      for (const s of seeded.staff) console.log(`  ${s.username.padEnd(14)} ${s.role.padEnd(15)} ${s.sipExtension ? `ext ${s.sipExtension}` : ''}`);
    }
  }

  const telephony = createTelephony(config, log, systemClock);
  const app = createApp({ config, log, ds: db.ds, databaseKind: db.kind, crypto, clock: systemClock, telephony });
  const port = await app.start();
  log.info({ port, telephony: telephony ? telephony.state : 'not_configured' }, 'Anxin is listening');
  console.log(`\n安心 Anxin: http://${config.HOST}:${port}  (health: /api/health)\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await db.close();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error('Anxin failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

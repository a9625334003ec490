/**
 * `npm run seed -- --persons 100000 [--providers 5000] [--volunteers 100000] [--seed anxin-demo]`: seed the demo
 * city into an empty database (dispatch providers with their field workers, and volunteers, too).
 * Refuses a database that already has staff (use a fresh one).
 */
import { loadConfig } from '../../server/src/config/config';
import { fieldCryptoFromSecret } from '../../server/src/shared/crypto-from-config';
import { parseArgs } from './cli-args';
import { openDatabase } from './database';
import { isEmpty, seedDemoData } from './seed/seed';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const persons = Number(args.persons ?? 1000);
  if (!Number.isInteger(persons) || persons < 0 || persons > 2_000_000) throw new Error('--persons must be a whole number from 0 to 2000000');
  const providers = Number(args.providers ?? 40);
  const volunteers = Number(args.volunteers ?? 300);
  if (!Number.isInteger(providers) || providers < 0 || providers > 100_000) throw new Error('--providers must be a whole number from 0 to 100000');
  if (!Number.isInteger(volunteers) || volunteers < 0 || volunteers > 2_000_000) throw new Error('--volunteers must be a whole number from 0 to 2000000');
  const config = loadConfig(process.env);
  if (config.NODE_ENV === 'production') throw new Error('demo data is never seeded in production (NODE_ENV=production)');
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    if (!(await isEmpty(db.ds))) throw new Error('the database already holds data; seed a fresh one');
    const started = Date.now();
    const result = await seedDemoData(db.ds, fieldCryptoFromSecret(config.dataKey), {
      persons,
      seed: typeof args.seed === 'string' ? args.seed : undefined,
      onProgress: (done, total) => process.stdout.write(`\rpersons ${done}/${total}`),
      providers,
      volunteers,
      onDispatchProgress: (what, done, total) => process.stdout.write(`\r${what} ${done}/${total}      `),
    });
    console.log(`\nseeded ${result.persons} persons, ${result.districts} districts, ${result.staff.length} staff, ${result.dispatch.providers} providers with ${result.dispatch.fieldWorkers} field workers, ${result.dispatch.volunteers} volunteers (field-page PIN ${result.dispatch.fieldPin}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

/** `npm run migrate`: apply pending migrations to DATABASE_URL (or the embedded PGlite in DATA_DIR). */
import { loadConfig } from '../../server/src/config/config';
import { openDatabase } from './database';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  console.log(db.applied.length ? `applied: ${db.applied.join(', ')}` : 'schema is up to date');
  await db.close();
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

/**
 * Prepares a PGlite data directory for the kill -9 test, run as its own process (PGlite cannot open a
 * directory inside a jest worker without VM-module flags, and the server under test must be the only
 * owner afterwards):
 *
 *   node node_modules/ts-node/dist/bin.js --swc server/test/support/crash-setup.ts <dataDir> <devices>
 *
 * Migrates, adds a district tree, an agent and `devices` persons with keyed SOS pendants, then prints
 * `{"agent":{username,password},"devices":[{serial,key,personId,deviceId}…]}` on stdout.
 */
import 'reflect-metadata';
import { openDatabase } from '../../../db/src/database';
import { fieldCryptoFromSecret } from '../../src/shared/crypto-from-config';
import { makeAlarmDevices } from './alarm-devices';
import { makeDistricts, makeUser, TEST_DATA_KEY, TEST_PASSWORD } from './test-app';

async function main(): Promise<void> {
  const [dataDir, count = '40'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: crash-setup <dataDir> [devices]');
  const db = await openDatabase({ dataDir });
  try {
    const tree = await makeDistricts(db.ds);
    const agent = await makeUser(db.ds, 'agent', tree.city);
    const devices = await makeAlarmDevices(db.ds, fieldCryptoFromSecret(TEST_DATA_KEY), tree.community, Array.from({ length: Number(count) }, () => ({})));
    process.stdout.write(`${JSON.stringify({ agent: { username: agent.username, password: TEST_PASSWORD }, devices })}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

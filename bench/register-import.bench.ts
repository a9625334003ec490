/**
 * Register import (issue 8): a 100,000-row CSV must import in minutes with memory bounded.
 *
 * The built server runs as a child process on a fresh embedded PGlite directory (or BENCH_DATABASE_URL). A
 * CSV of BENCH_ROWS valid persons (each with a phone, a contact and an SOS pendant) is uploaded by a
 * supervisor twice: a dry run (check only), then the real import; each is timed from the upload to the job's
 * end, and the server's RSS is sampled every 200 ms.
 * Floor, in the same run and database: one set-based INSERT of the same number of bare person rows
 * (generate_series), i.e. the database's own write speed without parsing, checks or encryption.
 * Env: BENCH_ROWS (100000), BENCH_DATABASE_URL (unset → PGlite).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/src/database';
import { makeCitizenId } from '../server/src/persons/citizen-id';
import { TEMPLATE_HEADERS } from '../server/src/register/register-columns';
import { makeDistricts, makeUser, TEST_DATA_KEY, TEST_PASSWORD } from '../server/test/support/test-app';
import { loginToken, rssMb, startServer } from './support/processes';
import { line } from './support/stats';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DB_URL = process.env.BENCH_DATABASE_URL;

interface Job {
  id: string;
  status: string;
  outcome: string | null;
  rowsRead: number;
  errorCount: number;
  personsWritten: number;
  errors: unknown[];
}

/** A register CSV of `rows` distinct valid persons in `community`. */
function writeCsv(file: string, rows: number, community: string, tag: string): void {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, `\ufeff${TEMPLATE_HEADERS.join(',')}\n`);
  const base = Date.UTC(1930, 0, 1);
  const index = new Map(TEMPLATE_HEADERS.map((h, i) => [h, i]));
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const birth = new Date(base + Math.floor(i / 1000) * 86_400_000).toISOString().slice(0, 10);
    const id = makeCitizenId(tag, birth, i % 1000);
    const cells = new Array<string>(TEMPLATE_HEADERS.length).fill('');
    const set = (h: string, v: string) => (cells[index.get(h)!] = v);
    set('姓名', `台账${i}`);
    set('性别', Number(id[16]) % 2 ? '男' : '女');
    set('公民身份号码', id);
    set('残疾类别', '肢体');
    set('残疾等级', '二级');
    set('辖区代码', community);
    set('居住地址', `测试路 ${i} 号`);
    set('风险等级', i % 10 === 0 ? '高风险' : '一般');
    set('联系电话', `198${String(i).padStart(8, '0')}`);
    set('紧急联系人1姓名', '家属');
    set('紧急联系人1关系', '子女');
    set('紧急联系人1电话', `197${String(i).padStart(8, '0')}`);
    set('设备序列号', `BENCH-${tag}-${i}`);
    chunk += `${cells.join(',')}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

async function main(): Promise<void> {
  console.log(`Register import: ${ROWS.toLocaleString('en')} rows on ${DB_URL ? 'PostgreSQL' : 'embedded PGlite'}`);
  const dataDir = DB_URL ? '' : fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-register-'));
  const db = await openDatabase({ url: DB_URL, dataDir: dataDir || './data' });
  let community: string;
  let username: string;
  let floorMs: number;
  try {
    const tree = await makeDistricts(db.ds);
    community = tree.community;
    username = (await makeUser(db.ds, 'supervisor', tree.district)).username;
    const t0 = performance.now();
    await db.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO person (name, gender, district_code, id_number_hash, address) SELECT 'floor' || g, 'F', $1, md5('floor' || g || $2), '测试路' FROM generate_series(1, $3) g`,
        [community, String(Date.now()), ROWS],
      );
      throw new Error('rollback'); // measure the write, keep the database clean
    }).catch((err: Error) => err.message === 'rollback' || Promise.reject(err));
    floorMs = performance.now() - t0;
  } finally {
    await db.close();
  }
  const csv = path.join(os.tmpdir(), `anxin-bench-register-${process.pid}.csv`);
  const tag = `33${String(Math.floor(Math.random() * 9000) + 1000)}`;
  writeCsv(csv, ROWS, community, tag);
  const mb = fs.statSync(csv).size / 1024 / 1024;
  const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: DB_URL ?? '', ANXIN_DATA_KEY: TEST_DATA_KEY, NODE_ENV: 'production' });
  try {
    const token = await loginToken(server.baseUrl, username, TEST_PASSWORD);
    const idleRss = rssMb(server.child.pid!);
    const run = async (mode: 'dry-run' | 'commit') => {
      let peak = rssMb(server.child.pid!);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.child.pid!))), 200);
      const t0 = performance.now();
      const res = await fetch(`${server.baseUrl}/api/register/imports?mode=${mode}&fileName=bench.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: fs.readFileSync(csv) });
      if (res.status !== 202) throw new Error(`upload ${res.status} ${await res.text()}`);
      let job = (await res.json()) as Job;
      while (job.status !== 'done' && job.status !== 'failed') {
        await new Promise((r) => setTimeout(r, 250));
        job = (await (await fetch(`${server.baseUrl}/api/register/imports/${job.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Job;
      }
      const elapsed = performance.now() - t0;
      clearInterval(sampler);
      if (job.errorCount) throw new Error(`${job.errorCount} row errors, e.g. ${JSON.stringify(job.errors.slice(0, 3))}`);
      return { elapsed, peak, job };
    };
    const dry = await run('dry-run');
    const real = await run('commit');
    console.log(`\n  File: ${mb.toFixed(1)} MB CSV`);
    line('dry run (check only)', `${(dry.elapsed / 1000).toFixed(1)} s · ${Math.round(ROWS / (dry.elapsed / 1000)).toLocaleString('en')} rows/s`);
    line('import (check, stage, write)', `${(real.elapsed / 1000).toFixed(1)} s · ${Math.round(ROWS / (real.elapsed / 1000)).toLocaleString('en')} rows/s · ${real.job.personsWritten.toLocaleString('en')} persons`);
    line('floor: bare INSERT … SELECT', `${(floorMs / 1000).toFixed(2)} s`);
    line('import / floor', `${(real.elapsed / floorMs).toFixed(1)}×`);
    line('server RSS idle → peak (dry run, import)', `${idleRss.toFixed(0)} → ${dry.peak.toFixed(0)}, ${real.peak.toFixed(0)} MB`);
  } finally {
    await server.stop();
    fs.rmSync(csv, { force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

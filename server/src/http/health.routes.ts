import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Scheduler } from '../scheduler/scheduler';
import type { TelephonyPort } from '../telephony/telephony.port';

/**
 * `GET /api/health`: database, telephony adapter and scheduler state. 503 when the database is down.
 * The scheduler part lists every node's jobs (last run, lag, the kind of the last error — never its
 * message, since health answers without a session) and whether this node leads the single-node jobs.
 */
export function healthRoutes(ds: DataSource, telephony: TelephonyPort | null, databaseKind: 'pglite' | 'postgres', scheduler: Scheduler): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    let database: 'up' | 'down' = 'down';
    try {
      await ds.query('SELECT 1');
      database = 'up';
    } catch {
      database = 'down';
    }
    const jobs = database === 'up' ? await scheduler.statusAll().catch(() => scheduler.status()) : scheduler.status();
    const body = {
      status: database === 'up' ? 'ok' : 'degraded',
      database: { state: database, kind: databaseKind },
      telephony: { asterisk: telephony ? telephony.state : 'not_configured', ...(telephony ? { since: telephony.stateSince.toISOString() } : {}) },
      scheduler: { node: scheduler.nodeId, leader: scheduler.leader, jobs },
      time: new Date().toISOString(),
    };
    res.status(database === 'up' ? 200 : 503).json(body);
  });
  return r;
}

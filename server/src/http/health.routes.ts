import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { TelephonyPort } from '../telephony/telephony.port';

/** `GET /api/health`: database and telephony adapter state. 503 when the database is down. */
export function healthRoutes(ds: DataSource, telephony: TelephonyPort | null, databaseKind: 'pglite' | 'postgres'): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    let database: 'up' | 'down' = 'down';
    try {
      await ds.query('SELECT 1');
      database = 'up';
    } catch {
      database = 'down';
    }
    const body = {
      status: database === 'up' ? 'ok' : 'degraded',
      database: { state: database, kind: databaseKind },
      telephony: { asterisk: telephony ? telephony.state : 'not_configured', ...(telephony ? { since: telephony.stateSince.toISOString() } : {}) },
      time: new Date().toISOString(),
    };
    res.status(database === 'up' ? 200 : 503).json(body);
  });
  return r;
}

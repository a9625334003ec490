import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { Spine1795400000000 } from './migrations/1795400000000-Spine';
import { AgentPresence1795460000000 } from './migrations/1795460000000-AgentPresence';
import { CallerSide1795500000000 } from './migrations/1795500000000-CallerSide';
import { AuditSeal1795600000000 } from './migrations/1795600000000-AuditSeal';
import { TicketNumberSequence1795700000000 } from './migrations/1795700000000-TicketNumberSequence';
import { AuditSubjects1795800000000 } from './migrations/1795800000000-AuditSubjects';
import { SosFollowsOrder1795810000000 } from './migrations/1795810000000-SosFollowsOrder';
import { PersonDuplicateFlag1795830000000 } from './migrations/1795830000000-PersonDuplicateFlag';
import { AuditKeyedChain1795840000000 } from './migrations/1795840000000-AuditKeyedChain';
import { SessionTrust1795820000000 } from './migrations/1795820000000-SessionTrust';
import { RegisterImport1795890000000 } from './migrations/1795890000000-RegisterImport';
import { SchedulerState1796300000000 } from './migrations/1796300000000-SchedulerState';
import { CallOutcome1796500000000 } from './migrations/1796500000000-CallOutcome';
import { TelephonyConsole1796550000000 } from './migrations/1796550000000-TelephonyConsole';
import { StaffAccess1796600000000 } from './migrations/1796600000000-StaffAccess';
import { PersonRecords1796700000000 } from './migrations/1796700000000-PersonRecords';
import { AdminPeople1796750000000 } from './migrations/1796750000000-AdminPeople';
import { Care1796800000000 } from './migrations/1796800000000-Care';
import { Dispatch1796900000000 } from './migrations/1796900000000-Dispatch';
import { DispatchAnsweredVia1796900000001 } from './migrations/1796900000001-DispatchAnsweredVia';
import { CareSms1796870000000 } from './migrations/1796870000000-CareSms';
import { CareCampaigns1796850000000 } from './migrations/1796850000000-CareCampaigns';
import { CareTaskPersonDone1796850000001 } from './migrations/1796850000001-CareTaskPersonDone';
import { Timebank1797000000000 } from './migrations/1797000000000-Timebank';
import { TimebankVolunteers1797010000000 } from './migrations/1797010000000-TimebankVolunteers';
import { DispatchSearchIndexes1797012000000 } from './migrations/1797012000000-DispatchSearchIndexes';
import { PersonDispatchPrefVersion1797013000000 } from './migrations/1797013000000-PersonDispatchPrefVersion';
import { CareTaskWorkOrder1797020000000 } from './migrations/1797020000000-CareTaskWorkOrder';

export const MIGRATIONS = [
  Spine1795400000000,
  AgentPresence1795460000000,
  CallerSide1795500000000,
  AuditSeal1795600000000,
  TicketNumberSequence1795700000000,
  AuditSubjects1795800000000,
  SosFollowsOrder1795810000000,
  PersonDuplicateFlag1795830000000,
  AuditKeyedChain1795840000000,
  RegisterImport1795890000000,
  SchedulerState1796300000000,
  SessionTrust1795820000000,
  CallOutcome1796500000000,
  TelephonyConsole1796550000000,
  StaffAccess1796600000000,
  PersonRecords1796700000000,
  AdminPeople1796750000000,
  Care1796800000000,
  CareCampaigns1796850000000,
  CareTaskPersonDone1796850000001,
  CareSms1796870000000,
  Dispatch1796900000000,
  DispatchAnsweredVia1796900000001,
  Timebank1797000000000,
  TimebankVolunteers1797010000000,
  DispatchSearchIndexes1797012000000,
  PersonDispatchPrefVersion1797013000000,
  CareTaskWorkOrder1797020000000,
];

export interface DataSourceOptions {
  url: string;
  /** Pool size. PGlite serializes everything anyway; keep it small there. */
  poolSize?: number;
  logging?: boolean;
}

/**
 * The one DataSource factory, for PostgreSQL 15+ and for embedded PGlite served by `PgliteServer`.
 * `synchronize` is off: the schema comes only from the append-only migrations.
 */
export function createDataSource(opts: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: opts.logging ?? false,
    extra: { max: opts.poolSize ?? 10 },
  });
}

/** Apply pending migrations; stops at the first error. Returns the names applied. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const applied = await ds.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

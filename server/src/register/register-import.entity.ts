import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { RowError } from './register-row';

export const IMPORT_MODES = ['dry-run', 'commit'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
/** queued → checking → (applying →) done | failed. A node that dies mid-way resumes the job at start. */
export const IMPORT_STATUSES = ['queued', 'checking', 'applying', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
/** What a finished job did: `checked` (a dry run without errors), `rejected` (errors: nothing written), `imported`. */
export type ImportOutcome = 'checked' | 'rejected' | 'imported';

/** Who started the import, as the job runs it (also after a restart). */
export interface ImportActor {
  userId: string;
  username: string;
  scopePrefix: string | null;
}

/** One upload of the persons register: its file on disk, its progress and its row errors. */
@Entity('register_import')
export class RegisterImport {
  @PrimaryColumn('uuid')
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'jsonb' })
  actor!: ImportActor;

  @Column({ name: 'file_name', type: 'varchar', length: 200 })
  fileName!: string;

  @Column({ type: 'varchar', length: 4 })
  format!: 'csv' | 'xlsx';

  @Column({ name: 'file_bytes', type: 'bigint' })
  fileBytes!: string;

  @Column({ type: 'varchar', length: 8 })
  mode!: ImportMode;

  @Column({ type: 'varchar', length: 10 })
  status!: ImportStatus;

  @Column({ type: 'varchar', length: 10, nullable: true })
  outcome!: ImportOutcome | null;

  /** Data lines read so far (the header not counted). */
  @Column({ name: 'rows_read', type: 'integer', default: 0 })
  rowsRead!: number;

  @Column({ name: 'rows_valid', type: 'integer', default: 0 })
  rowsValid!: number;

  @Column({ name: 'error_count', type: 'integer', default: 0 })
  errorCount!: number;

  /** The first {@link MAX_STORED_ERRORS} row errors (codes, never cell values). */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  errors!: RowError[];

  @Column({ name: 'persons_written', type: 'integer', default: 0 })
  personsWritten!: number;

  /** Why the job failed (a file it could not read, an interruption it could not resume). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  failure!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

export const MAX_STORED_ERRORS = 1000;

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { checkpointSignature, sameDigest, type AuditKeys } from './audit-crypto';

/** A signed statement "the chain reached `seq` with `hash` at `at`", kept outside the database. */
export interface AuditCheckpoint {
  seq: string;
  hash: string;
  at: string;
  /** The legacy boundary of the time: a database whose boundary moved later is caught. */
  legacySeq: string;
  sig: string;
}

/**
 * Append-only JSON-lines file of checkpoints (`AUDIT_CHECKPOINT_FILE`, default `<DATA_DIR>/audit-checkpoints.jsonl`).
 * Each line is written with one `appendFile` and fsynced; a torn last line (a crash mid-write) is skipped when read.
 * Keep a copy off the database host (log shipping does it: every checkpoint is also logged).
 *
 * @example const store = new CheckpointFile('/var/lib/anxin/audit-checkpoints.jsonl', keys);
 */
export class CheckpointFile {
  constructor(
    readonly file: string,
    private readonly keys: AuditKeys,
  ) {}

  /** Sign and append a checkpoint; returns it. */
  async append(c: Omit<AuditCheckpoint, 'sig'>): Promise<AuditCheckpoint> {
    const signed: AuditCheckpoint = { ...c, sig: checkpointSignature(this.keys, c) };
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fs.promises.open(this.file, 'a', 0o600);
    try {
      await handle.appendFile(`${JSON.stringify(signed)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return signed;
  }

  /**
   * Every checkpoint in the file, oldest first, each with whether its signature holds. Streams the file line by
   * line; a missing file has none.
   */
  async *read(): AsyncGenerator<{ checkpoint: AuditCheckpoint; valid: boolean; line: number }> {
    if (!fs.existsSync(this.file)) return;
    const lines = readline.createInterface({ input: fs.createReadStream(this.file, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const text of lines) {
      n++;
      if (!text.trim()) continue;
      let c: AuditCheckpoint;
      try {
        c = JSON.parse(text) as AuditCheckpoint;
      } catch {
        continue; // a torn write at a crash: nothing was promised by it
      }
      const shaped = typeof c?.seq === 'string' && /^\d+$/.test(c.seq) && typeof c.hash === 'string' && typeof c.at === 'string' && typeof c.legacySeq === 'string';
      yield { checkpoint: c, valid: shaped && sameDigest(c.sig, checkpointSignature(this.keys, c)), line: n };
    }
  }
}

import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { AuditSearchQuery } from './audit.schema';
import type { AuditService } from './audit.service';

/** One entry as the auditor sees it. */
export interface AuditItem {
  id: string;
  seq: string | null;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  subjects: string[];
  purpose: string | null;
  outcome: string;
  ip: string | null;
  hash: string | null;
}

/** Most rows one CSV export streams. */
export const EXPORT_MAX_ROWS = 100_000;
const EXPORT_PAGE = 1000;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The auditor's reading of the trail: search (keyset pages, newest first) and CSV export. Every read is itself
 * audited (`audit.search`, `audit.export`), the entry written before any row leaves.
 * @example const page = await search.search(actor, { person: id, limit: 50 });
 */
export class AuditSearch {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** One page; `nextCursor` is set when there may be more. */
  async search(actor: Actor, query: AuditSearchQuery): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
    const items = await this.page(query, query.before ?? null, query.limit + 1);
    const more = items.length > query.limit;
    if (more) items.pop();
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'audit.search', ...this.subjectOf(query), purpose: describe(query), outcome: 'ok' });
    return { items, nextCursor: more ? items[items.length - 1]!.id : null };
  }

  /**
   * Every entry of a search, newest first, page by page (at most {@link EXPORT_MAX_ROWS}); `audit.export` is
   * recorded before the first row is yielded.
   */
  async *export(actor: Actor, query: AuditSearchQuery): AsyncGenerator<AuditItem> {
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'audit.export', ...this.subjectOf(query), purpose: describe(query), outcome: 'ok' });
    let before = query.before ?? null;
    let sent = 0;
    while (sent < EXPORT_MAX_ROWS) {
      const rows = await this.page(query, before, Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - sent));
      for (const row of rows) yield row;
      sent += rows.length;
      if (rows.length < EXPORT_PAGE) return;
      before = rows[rows.length - 1]!.id;
    }
  }

  private subjectOf(query: AuditSearchQuery) {
    return query.person ? { subjectType: 'person', subjectId: query.person } : {};
  }

  private async page(query: AuditSearchQuery, before: string | null, limit: number): Promise<AuditItem[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (query.actor) add((p) => `actor_username = ${p}`, query.actor);
    if (query.person) add((p) => `subjects @> ARRAY[${p}]::varchar[]`, `person:${query.person}`);
    if (query.action) add((p) => `action LIKE ${p} ESCAPE '\\'`, `${likeEscape(query.action)}%`);
    if (query.from) add((p) => `at >= ${p}`, new Date(query.from));
    if (query.to) add((p) => `at <= ${p}`, new Date(query.to));
    if (query.purpose) add((p) => `purpose ILIKE ${p} ESCAPE '\\'`, `%${likeEscape(query.purpose)}%`);
    if (query.outcome) add((p) => `outcome = ${p}`, query.outcome);
    if (before) add((p) => `id < ${p}`, before);
    params.push(limit);
    const rows: Record<string, any>[] = await this.ds.query(
      `SELECT id, seq, at, actor_id, actor_username, action, subject_type, subject_id, subjects, purpose, outcome, ip, hash
         FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: String(r.id),
      seq: r.seq === null ? null : String(r.seq),
      at: new Date(r.at).toISOString(),
      actorId: r.actor_id,
      actorUsername: r.actor_username,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      subjects: r.subjects ?? [],
      purpose: r.purpose,
      outcome: r.outcome,
      ip: r.ip,
      hash: r.hash,
    }));
  }
}

/** The filters in a few words, for the `purpose` of the audit entry of a search. */
function describe(query: AuditSearchQuery): string {
  const parts = Object.entries(query)
    .filter(([k, v]) => v !== undefined && k !== 'limit')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(' ') : 'all';
}

const CSV_COLUMNS: (keyof AuditItem)[] = ['id', 'seq', 'at', 'actorUsername', 'actorId', 'action', 'subjectType', 'subjectId', 'subjects', 'purpose', 'outcome', 'ip', 'hash'];

/**
 * One CSV cell (RFC 4180: always quoted, quotes doubled). A cell a spreadsheet would run as a formula (it starts
 * with = + - @, a tab or a carriage return) gets a leading `'`.
 * @example csvCell('=HYPERLINK("x")'); // "\"'=HYPERLINK(\"\"x\"\")\""
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** The header line of the export. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One entry as a CSV line (CRLF-terminated). */
export function csvLine(item: AuditItem): string {
  return `${CSV_COLUMNS.map((c) => csvCell(item[c])).join(',')}\r\n`;
}

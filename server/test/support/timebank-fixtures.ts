import type { DataSource } from 'typeorm';
import { randomMobile, uniq } from './test-app';

/** A volunteer row in dispatch's table (the time bank's account holder). */
export async function makeVolunteer(ds: DataSource, districtCode: string, name = `志愿者${uniq()}`): Promise<{ id: string; name: string }> {
  const [row] = await ds.query(
    `INSERT INTO volunteer (name, gender, phone_e164, district_code, centre_lat, centre_lng, radius_km, pin_hash) VALUES ($1, 'female', $2, $3, 31.23, 121.47, 5, 'x') RETURNING id`,
    [name.slice(0, 50), randomMobile(), districtCode],
  );
  return { id: row.id, name };
}

/**
 * A completed service job of a volunteer with check-in and check-out `minutes` apart (its order is a plain
 * ticket row in the district).
 */
export async function makeCompletedJob(ds: DataSource, districtCode: string, volunteerId: string, minutes: number, createdById: string, opts: { checkIn?: Date; status?: string } = {}): Promise<{ jobId: string; ticketId: string }> {
  const checkIn = opts.checkIn ?? new Date('2026-03-02T01:00:00Z');
  const checkOut = new Date(checkIn.getTime() + minutes * 60_000);
  const [ticket] = await ds.query(
    `INSERT INTO ticket (number, category, service_type, priority, status, district_code, caller_relation, channel, summary, confidential, created_by_id)
     VALUES ($1, 'life_service', 'help_walk', 'P2', 'in_service', $2, 'self', 'phone', '助行服务', false, $3) RETURNING id`,
    [`TB${uniq()}`, districtCode, createdById],
  );
  const [job] = await ds.query(
    `INSERT INTO service_job (ticket_id, district_code, service, priority, window_start, window_end, location_text, area_text, lat, lng, dispatch_due_at, status, assignee_kind, assignee_id, assigned_via, check_in_at, check_out_at)
     VALUES ($1, $2, 'help_walk', 'P2', $3, $4, '测试地址', '测试社区', 31.2, 121.4, $3, $5, 'volunteer', $6, 'dispatcher', $3, $4) RETURNING id`,
    [ticket.id, districtCode, checkIn, checkOut, opts.status ?? 'completed', volunteerId],
  );
  return { jobId: job.id, ticketId: ticket.id };
}

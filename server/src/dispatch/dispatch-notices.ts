import type { DataSource } from 'typeorm';
import type { Logger } from '../config/logger';
import type { RealtimeHub } from '../realtime/realtime-hub';
import { rooms, scopeRoomsFor } from '../realtime/realtime-events';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { jobSummaries, offerViews } from './job-views';
import { JobOffer, ServiceJob } from './service-job.entity';

/** The dispatch rooms that must hear about a job of `districtCode`: city-wide and every ancestor code. */
export function dispatchRoomsFor(districtCode: string): string[] {
  return scopeRoomsFor(districtCode).map((room) => rooms.dispatchAudience(room.slice('scope:'.length)));
}

/**
 * Realtime notices of dispatch, called only after the transaction committed: `job:updated` and
 * `offer:updated` to dispatchers and supervisors in scope, `job:sla-overdue` to supervisors in scope.
 */
export class DispatchNotices {
  private hub: RealtimeHub | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Join dispatchers and supervisors to their dispatch room as they connect. */
  attach(hub: RealtimeHub): void {
    this.hub = hub;
    hub.addCommands((socket) => {
      const { actor } = socket.data;
      if (actor.roles.includes('dispatcher') || actor.roles.includes('supervisor')) void socket.join(rooms.dispatchAudience(actor.scopePrefix ?? '*'));
    });
  }

  ticketUpdated(payload: { ticketId: string; number: string; districtCode: string; status: string }): void {
    this.events.emit('ticket.updated', payload);
  }

  jobChanged(jobId: string): void {
    if (!this.hub) return;
    void (async () => {
      const job = await this.ds.getRepository(ServiceJob).findOneBy({ id: jobId });
      if (!job) return;
      const [summary] = await jobSummaries(this.ds, [job], this.clock.now());
      this.hub?.io.to(dispatchRoomsFor(job.districtCode)).emit('job:updated', { job: summary! });
    })().catch((err) => this.log.warn({ err, jobId }, 'job:updated notice failed'));
  }

  offerUpdated(job: ServiceJob, offer: JobOffer): void {
    if (!this.hub) return;
    void offerViews(this.ds, [offer])
      .then(([view]) => this.hub?.io.to(dispatchRoomsFor(job.districtCode)).emit('offer:updated', { jobId: job.id, offer: view! }))
      .catch((err) => this.log.warn({ err, jobId: job.id }, 'offer:updated notice failed'));
  }

  slaOverdue(job: ServiceJob, ticketNumber: string): void {
    if (!this.hub) return;
    // socket.io unions rooms: the supervisors among the job's dispatch audience are picked per socket.
    const payload = { jobId: job.id, ticketId: job.ticketId, ticketNumber, service: job.service, priority: job.priority, dispatchDueAt: job.dispatchDueAt };
    void this.hub.io
      .in(dispatchRoomsFor(job.districtCode))
      .fetchSockets()
      .then((sockets) => {
        for (const s of sockets) if (s.data.actor?.roles.includes('supervisor')) s.emit('job:sla-overdue', payload);
      })
      .catch((err) => this.log.warn({ err, jobId: job.id }, 'job:sla-overdue notice failed'));
  }
}

import schedule from 'node-schedule';
import type { Logger } from '../config/logger';

/**
 * A job fired by node-schedule on a cron spec (seconds allowed: `* * * * * *` is every second). Runs never
 * overlap: a tick that finds the previous run busy is skipped. node-schedule is in-memory only, so the
 * state a job works on lives in the database (claimed with SKIP LOCKED when several nodes tick).
 *
 * @example const job = new PeriodicJob('sos-escalation', '* * * * * *', () => escalation.tick(), log); job.start();
 */
export class PeriodicJob {
  private job: schedule.Job | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly name: string,
    private readonly spec: string,
    private readonly run: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.job) return;
    this.job = schedule.scheduleJob(this.spec, () => {
      if (this.running) return;
      this.running = this.run()
        .catch((err) => this.log.error({ err, job: this.name }, 'periodic job failed'))
        .finally(() => (this.running = null));
    });
  }

  /** Stop firing and wait for a run in progress. */
  async stop(): Promise<void> {
    this.job?.cancel();
    this.job = null;
    await this.running;
  }
}

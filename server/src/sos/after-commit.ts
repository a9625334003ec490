import type { Logger } from '../config/logger';

/**
 * Effects that may only happen once a transaction committed (domain events, outbox wake-ups). Collect
 * them while writing; `run()` after the commit. A failing effect is logged and does not stop the others.
 *
 * @example const after = new AfterCommit(log); await ds.transaction((m) => write(m, after)); after.run();
 */
export class AfterCommit {
  private readonly effects: Array<() => void> = [];

  constructor(private readonly log: Logger) {}

  add(effect: () => void): void {
    this.effects.push(effect);
  }

  run(): void {
    for (const effect of this.effects.splice(0)) {
      try {
        effect();
      } catch (err) {
        this.log.error({ err }, 'after-commit effect failed');
      }
    }
  }
}

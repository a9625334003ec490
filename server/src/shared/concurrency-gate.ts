/**
 * At most `limit` tasks at once; the rest wait in FIFO order. Used to keep bursts (200 logins) from crowding
 * the database pool and the CPU that alarms and sockets need.
 * @example const gate = new ConcurrencyGate(2); await gate.run(() => hash(password));
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active--;
    }
  }
}

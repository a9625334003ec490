/** What `until` polls: anything truthy ends the wait and is returned. */
export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

/**
 * Poll `probe` until it returns something truthy (for state that settles asynchronously: rows, sockets, adapters).
 * @example const row = await until(async () => (await ds.query('SELECT status FROM call WHERE id = $1', [id]))[0]);
 */
export async function until<T>(probe: Probe<T>, timeoutMs = 5000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

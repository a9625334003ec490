/**
 * How often a job fires, as a node-schedule cron spec with seconds. `everySeconds` turns a period into a spec
 * that node-schedule fires on the wall clock's boundaries (every node ticks at the same instants).
 *
 * @example everySeconds(5) // '*\/5 * * * * *'
 * @example everySeconds(600) // '0 *\/10 * * * *'
 */
export function everySeconds(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`cadence: ${seconds} is not a whole number of seconds ≥ 1`);
  if (seconds === 1) return '* * * * * *';
  if (seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
  if (seconds % 60 === 0) {
    const minutes = seconds / 60;
    if (minutes === 1) return '0 * * * * *';
    if (minutes < 60 && 60 % minutes === 0) return `0 */${minutes} * * * *`;
    if (minutes % 60 === 0 && 24 % (minutes / 60) === 0) return `0 0 */${minutes / 60} * * *`;
  }
  throw new Error(`cadence: ${seconds} s does not divide a minute, an hour or a day evenly`);
}

/**
 * The period of a cron spec made by {@link everySeconds} (or a plain one of the same shapes), in seconds,
 * or null for other specs (then lag is measured but "overdue" is not judged).
 */
export function periodOf(spec: string): number | null {
  const f = spec.trim().split(/\s+/);
  if (f.length !== 6) return null;
  const step = (field: string, unit: number): number | null => (field === '*' ? unit : /^\*\/(\d+)$/.test(field) ? Number(field.slice(2)) * unit : null);
  const [s, m, h, ...rest] = f;
  if (rest.some((x) => x !== '*')) return null;
  if (m === '*' && h === '*') return step(s!, 1);
  if (s === '0' && h === '*') return step(m!, 60);
  if (s === '0' && m === '0') return step(h!, 3600);
  return null;
}

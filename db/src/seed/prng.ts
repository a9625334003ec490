/**
 * Seeded randomness for demo data: mulberry32 (fast, 32-bit state, good enough for fixtures; not for
 * anything secret). The same seed always yields the same sequence.
 */

// Module-level copies: under a vm sandbox (jest) every global lookup goes through an interceptor, and
// these run millions of times for a large data set.
const { imul, floor } = Math;

export interface Rng {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** 32 random bits as an unsigned integer. */
  uint32(): number;
}

/** Weighted choice table, prepared once: `[[value, weight], …]`. */
export type WeightedTable<T> = readonly (readonly [T, number])[];

/**
 * Hash a string or number seed to 32 bits (FNV-1a over the text form, then avalanche).
 * @example seedToUint32('demo'); // same number on every run
 */
export function seedToUint32(seed: number | string): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * A mulberry32 generator.
 * @example const rng = createRng(42); rng.int(1, 6); // the same die roll every run
 */
export function createRng(seed: number | string): Rng {
  let state = seedToUint32(seed);
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / 4294967296;
  return {
    next,
    uint32,
    int: (min, max) => min + floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[floor(next() * items.length)]!,
  };
}

/**
 * Prepare a weighted picker (cumulative weights computed once).
 * @example const tier = weighted([['high', 1], ['general', 9]]); tier(rng); // 'general' 90% of the time
 */
export function weighted<T>(table: WeightedTable<T>): (rng: Rng) => T {
  const values = table.map(([v]) => v);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of table) cumulative.push((total += w));
  return (rng) => {
    const x = rng.next() * total;
    for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]!) return values[i]!;
    return values[values.length - 1]!;
  };
}

/**
 * A version-4-shaped UUID drawn from the generator (deterministic, unlike `crypto.randomUUID`).
 * @example uuidFrom(createRng(1)); // 'xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx'
 */
export function uuidFrom(rng: Rng): string {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const a = hex(rng.uint32());
  const b = hex(rng.uint32());
  const c = hex(rng.uint32());
  const d = hex(rng.uint32());
  const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

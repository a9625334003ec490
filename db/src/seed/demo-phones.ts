import { DEMO_AREA_CODE } from './demo-districts';
import { seedToUint32, weighted, type Rng } from './prng';

/**
 * Unique demo phone numbers without bookkeeping: the n-th number's digits are an affine permutation of
 * n (a·n + b mod 10^k with a coprime to 10), so two different n never share digits, whatever prefix
 * is put in front. Reserved numbers (the AMI fixture callers) are skipped.
 */

/** Mobile prefixes for people (147 is kept for SOS pendant SIMs). */
const MOBILE_PREFIXES = weighted<string>([
  ['130', 3], ['131', 3], ['132', 3], ['133', 3], ['134', 2], ['135', 5], ['136', 5], ['137', 5], ['138', 6],
  ['139', 6], ['150', 3], ['151', 3], ['152', 3], ['153', 2], ['155', 2], ['156', 2], ['157', 2], ['158', 3],
  ['159', 3], ['166', 1], ['173', 1], ['176', 1], ['177', 1], ['178', 1], ['180', 2], ['181', 2], ['182', 2],
  ['183', 2], ['185', 2], ['186', 2], ['187', 2], ['188', 2], ['189', 2], ['191', 1], ['198', 1], ['199', 1],
]);
const DEVICE_PREFIX = '147';
/** First digit of an 8-digit local number in the demo city. */
const LANDLINE_LEADS = weighted<string>([['8', 6], ['5', 2], ['2', 2]]);

function affine(seed: number, modulus: number): (n: number) => number {
  let a = (seed % (modulus / 2)) * 2 + 1; // odd
  if (a % 5 === 0) a += 2; // and not a multiple of 5: coprime to 10^k
  const b = Math.floor(seed / 7) % modulus;
  // a·n stays below 2^53 for n < 10^7 and a < 10^8
  return (n) => (((a % modulus) * n) % modulus + b) % modulus;
}

export interface PhoneAllocator {
  /** `+861xxxxxxxxxx`, never a reserved number. */
  mobile(rng: Rng): string;
  /** `+86571xxxxxxxx` */
  landline(rng: Rng): string;
  /** `+86147xxxxxxxx`, for SOS pendant SIMs. */
  device(): string;
}

/**
 * @param reserved E.164 numbers that must never be handed out (fixture numbers).
 * @example const phones = createPhoneAllocator('demo', ['+8613800138000']); phones.mobile(rng);
 */
export function createPhoneAllocator(seed: number | string, reserved: Iterable<string>): PhoneAllocator {
  const taken = new Set(reserved);
  const base = seedToUint32(seed);
  const mobileBody = affine(base, 1e8);
  const landlineBody = affine(seedToUint32(`${seed}/landline`), 1e7);
  const deviceBody = affine(seedToUint32(`${seed}/device`), 1e8);
  let mobiles = 0;
  let landlines = 0;
  let devices = 0;

  const unique = (make: () => string): string => {
    for (;;) {
      const e164 = make();
      if (!taken.has(e164)) return e164;
    }
  };

  return {
    mobile: (rng) => unique(() => `+86${MOBILE_PREFIXES(rng)}${String(mobileBody(mobiles++)).padStart(8, '0')}`),
    landline: (rng) =>
      unique(() => `+86${DEMO_AREA_CODE}${LANDLINE_LEADS(rng)}${String(landlineBody(landlines++)).padStart(7, '0')}`),
    device: () => unique(() => `+86${DEVICE_PREFIX}${String(deviceBody(devices++)).padStart(8, '0')}`),
  };
}

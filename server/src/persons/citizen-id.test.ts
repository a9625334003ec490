import { AppError } from '../shared/app-error';
import { citizenIdCheckChar, isValidCitizenId, makeCitizenId, maskCitizenId, parseCitizenId } from './citizen-id';

describe('parseCitizenId', () => {
  it.each([
    // the two examples printed in GB 11643-1999
    ['11010519491231002X', '110105', '1949-12-31', 'F'],
    ['440524188001010014', '440524', '1880-01-01', 'M'],
    ['11010519491231002x', '110105', '1949-12-31', 'F'], // lower-case x
    [' 1101 0519 4912 3100 2X ', '110105', '1949-12-31', 'F'], // spaces
    ['330102200002290015', '330102', '2000-02-29', 'M'], // leap day (check digit computed by hand: 150 mod 11 = 7 → 5)
  ])('when %j is checked, then it is valid (area %s, born %s, gender %s)', (raw, areaCode, birthDate, gender) => {
    const r = parseCitizenId(raw);
    expect(r).toMatchObject({ ok: true, areaCode, birthDate, gender });
    expect(isValidCitizenId(raw)).toBe(true);
  });

  it.each([
    ['110105194912310021', 'check character'], // wrong check digit (should be X)
    ['440524188001010015', 'check character'],
    ['11010519491231002', '18'], // 17 chars
    ['11010519491231002X1', '18'], // 19 chars
    ['', '18'],
    ['1101051949123100XX', 'first 17'],
    ['A1010519491231002X', 'first 17'],
    ['000000194912310029', 'area code'],
    ['990105194912310021', 'area code'],
    ['110105194913310022', 'birth date'], // month 13
    ['110105190102290023', 'birth date'], // 1901 is not a leap year
    ['110105179912310021', 'birth date'], // before 1800
  ])('when %j is checked, then it is rejected for the %s', (raw, reasonPart) => {
    const r = parseCitizenId(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reasonPart);
    expect(isValidCitizenId(raw)).toBe(false);
  });
});

describe('citizenIdCheckChar', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
  ])('when the first 17 are %s, then the check character is %s', (first17, check) => {
    expect(citizenIdCheckChar(first17)).toBe(check);
  });

  it('when the input is not 17 digits, then it throws', () => {
    expect(() => citizenIdCheckChar('123')).toThrow(AppError);
  });
});

describe('makeCitizenId', () => {
  it('when built from the standard example parts, then it equals the standard example', () => {
    expect(makeCitizenId('110105', '1949-12-31', 2)).toBe('11010519491231002X');
    expect(makeCitizenId('440524', '18800101', '001')).toBe('440524188001010014');
  });

  it('when built for every sequence of a day, then each is valid and odd sequences are men', () => {
    for (let seq = 0; seq < 1000; seq++) {
      const id = makeCitizenId('330106', '1975-06-30', seq);
      const r = parseCitizenId(id);
      expect(r).toMatchObject({ ok: true, birthDate: '1975-06-30', gender: seq % 2 === 1 ? 'M' : 'F' });
    }
  });

  it.each([
    ['33010', '1975-06-30', 1],
    ['990106', '1975-06-30', 1],
    ['330106', '1975-02-30', 1],
    ['330106', '75-06-30', 1],
    ['330106', '1975-06-30', 1000],
    ['330106', '1975-06-30', -1],
    ['330106', '1975-06-30', 1.5],
    ['330106', '1975-06-30', '12'],
  ] as const)('when given (%j, %j, %j), then it throws validation/invalid', (area, birth, seq) => {
    expect(() => makeCitizenId(area, birth, seq)).toThrow(expect.objectContaining({ code: 'validation/invalid' }));
  });
});

describe('maskCitizenId', () => {
  it.each([
    ['11010519491231002X', '110105********002X'],
    ['11010519491231002x', '110105********002X'],
    ['12345', '*****'],
  ])('when masking %j, then it shows %j', (id, masked) => {
    expect(maskCitizenId(id)).toBe(masked);
  });
});

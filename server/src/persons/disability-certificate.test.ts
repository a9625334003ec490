import { maskCitizenId } from './citizen-id';
import {
  DISABILITY_CATEGORIES,
  DISABILITY_CATEGORY_CODES,
  DISABILITY_LEVELS,
  checkCertificateAgainstProfile,
  makeCertificateNumber,
  maskCertificate,
  parseDisabilityCertificate,
} from './disability-certificate';

const ID_F_1949 = '11010519491231002X';
const ID_M_1880 = '440524188001010014';

describe('parseDisabilityCertificate', () => {
  it.each([
    [`${ID_F_1949}42`, ID_F_1949, 4, 2, '1949-12-31', 'F'],
    [`${ID_M_1880}11`, ID_M_1880, 1, 1, '1880-01-01', 'M'],
    [`${ID_M_1880}74`, ID_M_1880, 7, 4, '1880-01-01', 'M'],
    ['11010519491231002x23', ID_F_1949, 2, 3, '1949-12-31', 'F'],
    [' 110105 19491231 002X 6 1 ', ID_F_1949, 6, 1, '1949-12-31', 'F'],
  ] as const)('when %j is parsed, then it is valid', (raw, citizenId, category, level, birthDate, gender) => {
    expect(parseDisabilityCertificate(raw)).toEqual({
      ok: true, certificate: `${citizenId}${category}${level}`, citizenId, category, level, birthDate, gender,
    });
  });

  it.each([
    [ID_F_1949, 'length', '20'], // 18 characters: the bare ID
    [`${ID_F_1949}4`, 'length', '20'],
    [`${ID_F_1949}421`, 'length', '20'],
    ['', 'length', '20'],
    ['11010519491231002142', 'citizen_id', '校验位'], // bad checksum (should be X)
    ['11010519491331002X42', 'citizen_id', '出生日期'],
    [`${ID_F_1949}02`, 'category', '1–7'],
    [`${ID_F_1949}82`, 'category', '1–7'],
    [`${ID_F_1949}92`, 'category', '1–7'],
    [`${ID_F_1949}A2`, 'category', '1–7'],
    [`${ID_F_1949}40`, 'level', '1–4'],
    [`${ID_F_1949}45`, 'level', '1–4'],
    [`${ID_F_1949}4X`, 'level', '1–4'],
  ])('when %j is parsed, then it fails with %s', (raw, code, reasonPart) => {
    const r = parseDisabilityCertificate(raw);
    expect(r).toMatchObject({ ok: false, code });
    if (!r.ok) {
      expect(r.reason).toContain(reasonPart);
      expect(r.reason).toMatch(/[\u4e00-\u9fff]/); // Chinese
      expect(r.reason).toMatch(/[a-z]{4,}/); // and English
    }
  });
});

describe('checkCertificateAgainstProfile', () => {
  const cert = `${ID_F_1949}42`;

  it('when the profile agrees, then there are no mismatches', () => {
    expect(checkCertificateAgainstProfile(cert, { category: 4, level: 2, birthDate: '1949-12-31', gender: 'F', citizenId: ID_F_1949 })).toEqual([]);
  });

  it('when only category and level are known, then only they are checked', () => {
    expect(checkCertificateAgainstProfile(cert, { category: 4, level: 2 })).toEqual([]);
    expect(checkCertificateAgainstProfile(cert, { category: null, level: null })).toEqual([]);
  });

  it('when everything differs, then each field is listed with both values', () => {
    const out = checkCertificateAgainstProfile(cert, {
      category: 2, level: 1, birthDate: '1950-01-01', gender: 'M', citizenId: ID_M_1880,
    });
    expect(out.map((m) => [m.field, m.expected, m.actual])).toEqual([
      ['category', 2, 4],
      ['level', 1, 2],
      ['birthDate', '1950-01-01', '1949-12-31'],
      ['gender', 'M', 'F'],
      ['citizenId', '440524********0014', '110105********002X'],
    ]);
    expect(out[0]!.message).toContain('听力残疾');
    expect(out[0]!.message).toContain('肢体残疾');
  });

  it('when the certificate is unreadable, then one certificate mismatch says why', () => {
    expect(checkCertificateAgainstProfile('123', { category: 4, level: 2 })).toEqual([
      expect.objectContaining({ field: 'certificate', expected: null, actual: null, message: expect.stringContaining('20') }),
    ]);
  });
});

describe('labels and helpers', () => {
  it('when listing categories and levels, then each has zh and en labels', () => {
    expect(DISABILITY_CATEGORY_CODES.map((c) => DISABILITY_CATEGORIES[c].zh)).toEqual([
      '视力残疾', '听力残疾', '言语残疾', '肢体残疾', '智力残疾', '精神残疾', '多重残疾',
    ]);
    expect(Object.values(DISABILITY_CATEGORIES).every((c) => c.en.length > 0)).toBe(true);
    expect(DISABILITY_LEVELS[1]).toEqual({ zh: '一级', en: 'Level 1 (most severe)' });
  });

  it('when a certificate is made and masked, then only category, level and the ID mask\'s last four stay visible', () => {
    const made = makeCertificateNumber('11010519491231002x', 5, 3);
    expect(made).toBe(`${ID_F_1949}53`);
    expect(maskCertificate(made)).toBe('**************002X53');
    // Every visible ID character is one the ID mask shows as well: the two masks together reveal no more than one.
    const idMask = maskCitizenId(ID_F_1949);
    for (let i = 0; i < 18; i++) if (maskCertificate(made)[i] !== '*') expect(maskCertificate(made)[i]).toBe(idMask[i]);
    expect(maskCertificate('short')).toBe('*****');
  });
});

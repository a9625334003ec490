import { storedCode, validateDistrictCsv, type DistrictLine } from './district-csv';
import type { District } from './district.entity';

const existing = new Map<string, Pick<District, 'code' | 'level' | 'retiredAt'>>([
  ['330100', { code: '330100', level: 'city', retiredAt: null }],
  ['330106', { code: '330106', level: 'district', retiredAt: null }],
  ['330106001', { code: '330106001', level: 'street', retiredAt: null }],
  ['330106001001', { code: '330106001001', level: 'community', retiredAt: null }],
  ['330199', { code: '330199', level: 'district', retiredAt: new Date('2026-01-01') }],
]);
const anywhere = () => true;
const lines = (text: string): DistrictLine[] => text.trim().split('\n').map((l, i) => ({ line: i + 1, cells: l.split(',') }));

describe('validateDistrictCsv', () => {
  it('when a clean tree (with a header, parents after children) is checked, then every row comes back with its level and stored code', () => {
    const { rows, errors } = validateDistrictCsv(lines('代码,名称,上级代码\n330108002001,浦沿社区,330108002000\n330108,滨江区,330100\n330108002000,浦沿街道,330108\n330106002000,西溪街道,330106'), existing, anywhere);
    expect(errors).toEqual([]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { code: '330108', name: '滨江区', level: 'district', parentCode: '330100' },
        { code: '330108002', name: '浦沿街道', level: 'street', parentCode: '330108' },
        { code: '330108002001', name: '浦沿社区', level: 'community', parentCode: '330108002' },
        { code: '330106002', name: '西溪街道', level: 'street', parentCode: '330106' },
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('when a community names its street by the stored 9 digits or the 12-digit code, then both resolve', () => {
    const { rows, errors } = validateDistrictCsv(lines('330106001002,二号社区,330106001\n330106001003,三号社区,330106001000'), existing, anywhere);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.parentCode)).toEqual(['330106001', '330106001']);
  });

  it.each([
    ['an unknown parent', '330106009001,无名社区,330106009000', 'unknown-parent'],
    ['a retired parent', '330199001000,某街道,330199', 'unknown-parent'],
    ['a duplicate of the tree', '330106,西湖区,330100', 'duplicate-code'],
    ['a street already in the tree by its 12 digits', '330106001000,北山街道,330106', 'duplicate-code'],
    ['a 6-digit code under a 区', '330105,错误,330106', 'wrong-level'],
    ['a 12-digit code under a city', '330107001000,错误,330100', 'wrong-level'],
    ['a street code not ending in 000', '330106003001,错误,330106', 'wrong-level'],
    ['a community code ending in 000', '330106001000,错误,330106001', 'wrong-level'],
    ['a child of a community', '330106001001,错误,330106001001', 'duplicate-code'],
    ['a code not under its parent', '330107003000,错误,330106', 'not-under-parent'],
    ['a 区 outside its city', '320106,错误,330100', 'not-under-parent'],
    ['letters in the code', '33010A,错误,330100', 'bad-code'],
    ['an empty name', '330107,,330100', 'bad-name'],
    ['a control character in the name', '330107,西\u0007湖,330100', 'bad-name'],
    ['a single cell', '330107', 'malformed'],
  ])('when a line has %s, then it is refused with %s and nothing comes back', (_what, line, code) => {
    const { rows, errors } = validateDistrictCsv(lines(`330107009000,好街道,330107\n330107,好区,330100\n${line}`), existing, anywhere);
    expect(rows).toEqual([]);
    expect(errors).toContainEqual(expect.objectContaining({ line: 3, code }));
  });

  it('when a community is placed under a community, then it is the wrong level', () => {
    const { errors } = validateDistrictCsv(lines('330106001002,错误,330106001001'), existing, anywhere);
    expect(errors).toEqual([{ line: 1, code: 'wrong-level', districtCode: '330106001002' }]);
  });

  it('when the same code is twice in the file, then the second line is the duplicate', () => {
    const { errors } = validateDistrictCsv(lines('330107,甲,330100\n330107,乙,330100'), existing, anywhere);
    expect(errors).toEqual([{ line: 2, code: 'duplicate-code', districtCode: '330107' }]);
  });

  it('when the importing user may not add under a parent, then the line is out of scope', () => {
    const { errors } = validateDistrictCsv(lines('330106004000,甲街道,330106\n330107,乙区,330100'), existing, (parent) => parent === '330106');
    expect(errors).toEqual([{ line: 2, code: 'out-of-scope', districtCode: '330107' }]);
  });

  it('stores a street by its 9 meaningful digits and other levels as written', () => {
    expect(storedCode('330106001000', 'street')).toBe('330106001');
    expect(storedCode('330106001001', 'community')).toBe('330106001001');
    expect(storedCode('330106', 'district')).toBe('330106');
  });
});

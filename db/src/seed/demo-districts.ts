import type { DemoDistrict } from './demo-types';
import { createRng } from './prng';

/**
 * The demo city: a fictional 安心市 under the GB/T 2260 code 330100, six 区/县, their 街道/镇 and 社区/村.
 * Codes follow GB/T 2260 (6 digits) and the 12-digit statistical division codes (street 3 + community 3
 * digits: 街道 001–099, 镇 100–199; 居委会 001–199, 村委会 200–399). The tree is fixed (not seeded).
 */

export const DEMO_CITY = { code: '330100', name: '安心市', lat: 30.2741, lng: 120.1551 } as const;
/** Landline area code of the demo city (without the trunk 0). */
export const DEMO_AREA_CODE = '571';

const DISTRICT_SPECS = [
  { code: '330102', name: '东湖区', lat: 30.2590, lng: 120.1790, streets: ['湖滨街道', '清波街道', '小营街道', '望江街道', '紫阳街道'] },
  { code: '330105', name: '北塘区', lat: 30.3190, lng: 120.1420, streets: ['米市街道', '和睦街道', '大关街道', '祥符街道'] },
  { code: '330106', name: '西山区', lat: 30.2590, lng: 120.1050, streets: ['北山街道', '灵隐街道', '翠苑街道', '文新街道', '转塘街道'] },
  { code: '330108', name: '南江区', lat: 30.2080, lng: 120.2110, streets: ['西兴街道', '长河街道', '浦沿街道'] },
  { code: '330110', name: '临溪区', lat: 30.4190, lng: 120.2990, streets: ['临平街道', '东湖街道', '塘栖镇', '崇贤镇'] },
  { code: '330122', name: '青山县', lat: 29.7930, lng: 119.6910, streets: ['城关街道', '分水镇', '瑶琳镇', '百江镇'] },
] as const;

const URBAN = ['翠苑', '文华', '和睦', '桂花', '金沙', '春晖', '德胜', '朝晖', '景华', '兴福', '长庆', '古荡',
  '嘉绿', '青蓝', '丰潭', '双桥', '新塘', '望湖', '柳营', '清河', '华星', '采荷', '秋涛', '东园'];
const RURAL = ['青莲', '石门', '塘湾', '前山', '后溪', '大坞', '柏树', '杨家', '沈家', '里洋', '桐坞', '龙门',
  '双溪', '上塘', '下湾', '竹园'];
const ROADS = ['文一路', '教工路', '庆春路', '解放路', '凤起路', '体育场路', '莫干山路', '湖墅南路', '天目山路',
  '古墩路', '江南大道', '滨盛路', '星民路', '南苑街', '迎宾大道', '人民路', '新华路', '中山路', '学院路', '建设路'];

export interface DemoCommunity {
  code: string;
  name: string;
  streetName: string;
  districtCode: string;
  districtName: string;
  rural: boolean;
  /** Centre of the community. */
  lat: number;
  lng: number;
  /** A road the community lies on (urban addresses). */
  road: string;
}

interface DemoGeography {
  districts: DemoDistrict[];
  communities: DemoCommunity[];
}

function build(): DemoGeography {
  const rng = createRng('anxin-demo-districts');
  const districts: DemoDistrict[] = [{ code: DEMO_CITY.code, name: DEMO_CITY.name, level: 'city', parentCode: null }];
  const communities: DemoCommunity[] = [];
  for (const d of DISTRICT_SPECS) {
    districts.push({ code: d.code, name: d.name, level: 'district', parentCode: DEMO_CITY.code });
    let streetNo = 1;
    let townNo = 100;
    for (const streetName of d.streets) {
      const isTown = streetName.endsWith('镇');
      const streetCode = `${d.code}${String(isTown ? townNo++ : streetNo++).padStart(3, '0')}`;
      districts.push({ code: streetCode, name: streetName, level: 'street', parentCode: d.code });
      const pool = [...(isTown ? RURAL : URBAN)];
      const n = rng.int(4, 7);
      let residentNo = 1;
      let villageNo = 200;
      for (let i = 0; i < n; i++) {
        const base = pool.splice(rng.int(0, pool.length - 1), 1)[0]!;
        // towns keep one 社区 at their seat, the rest are villages
        const rural = isTown && i > 0;
        const name = `${base}${rural ? '村' : '社区'}`;
        const code = `${streetCode}${String(rural ? villageNo++ : residentNo++).padStart(3, '0')}`;
        districts.push({ code, name, level: 'community', parentCode: streetCode });
        const spread = isTown ? 0.06 : 0.025;
        communities.push({
          code, name, streetName, districtCode: d.code, districtName: d.name, rural,
          lat: round6(d.lat + (rng.next() - 0.5) * spread),
          lng: round6(d.lng + (rng.next() - 0.5) * spread),
          road: rng.pick(ROADS),
        });
      }
    }
  }
  return { districts, communities };
}

/** Round a coordinate to 6 decimals (~0.1 m). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

let cached: DemoGeography | undefined;

/**
 * The district tree, city first, each parent before its children.
 * @example demoDistricts().filter((d) => d.level === 'district').map((d) => d.name); // ['东湖区', '北塘区', …]
 */
export function demoDistricts(): DemoDistrict[] {
  cached ??= build();
  return cached.districts.map((d) => ({ ...d }));
}

/**
 * Communities (村居) with their centres, in tree order. Shared, do not mutate.
 * @example demoCommunities()[0].code; // '330102001001'
 */
export function demoCommunities(): readonly DemoCommunity[] {
  cached ??= build();
  return cached.communities;
}

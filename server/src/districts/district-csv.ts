import type { District, DistrictLevel } from './district.entity';

/** Why a line of a district CSV is refused (the console translates each code). */
export const DISTRICT_ROW_ERRORS = [
  /** Fewer than two cells, or a header missing. */
  'malformed',
  /** Not 6 digits (城市, 区) or 12 digits (街镇, 村居). */
  'bad-code',
  'bad-name',
  /** The same code twice in the file, or a code already in the tree. */
  'duplicate-code',
  /** The parent code is neither in the file nor in the tree (or is retired). */
  'unknown-parent',
  /** The code's length or form does not fit the level its parent implies (e.g. 6 digits under a 区). */
  'wrong-level',
  /** The code does not start with its parent's prefix. */
  'not-under-parent',
  /** The parent lies outside the importing user's districts. */
  'out-of-scope',
] as const;
export type DistrictRowErrorCode = (typeof DISTRICT_ROW_ERRORS)[number];

export interface DistrictRowError {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  code: DistrictRowErrorCode;
  /** The code as written on the line, when there is one. */
  districtCode?: string;
}

/** One parsed line: code, name, parent code (empty for a city). */
export interface DistrictLine {
  line: number;
  cells: string[];
}

const CHILD_LEVEL: Record<DistrictLevel, DistrictLevel | null> = { city: 'district', district: 'street', street: 'community', community: null };

/**
 * The code a district is stored under. Scope is by code prefix, so a 街镇 is kept by its 9 meaningful digits
 * (the 12-digit statistical code ends in 000); its 村居 (12 digits) then start with it. 区 and cities keep
 * their 6 digits (GB/T 2260).
 * @example storedCode('330106001000', 'street') // '330106001'
 */
export function storedCode(code: string, level: DistrictLevel): string {
  return level === 'street' ? code.slice(0, 9) : code;
}

/** The prefix a child's code must start with: a city's children share its first 4 digits (330100 → 3301xx). */
export function childPrefix(parent: Pick<District, 'code' | 'level'>): string {
  return parent.level === 'city' ? parent.code.slice(0, 4) : parent.code;
}

/**
 * Check a district CSV (code, name, parent code; an optional header line) against the existing tree, with
 * nothing written. Each line gets every error found; the rows to insert come back only when there is none.
 * The level of a row follows from its parent: none → city, city → 区, 区 → 街镇, 街镇 → 村居.
 *
 * @param mayParent whether the importing user may add under this (stored) parent code; null parent: a city
 * @example validateDistrictCsv([{ line: 2, cells: ['330106', '西湖区', '330100'] }], existing, () => true)
 */
export function validateDistrictCsv(
  lines: DistrictLine[],
  existing: ReadonlyMap<string, Pick<District, 'code' | 'level' | 'retiredAt'>>,
  mayParent: (parentCode: string | null) => boolean,
): { rows: District[]; errors: DistrictRowError[] } {
  const errors: DistrictRowError[] = [];
  const body = lines.filter((l, i) => !(i === 0 && isHeader(l.cells)));
  const seen = new Map<string, number>();
  const fileCodes = new Set(body.map((l) => (l.cells[0] ?? '').trim()));
  // Parents may come later in the file: resolve levels in rounds until nothing changes.
  const levelOf = new Map<string, DistrictLevel>();
  const parsed = body.map((l) => ({ line: l.line, code: (l.cells[0] ?? '').trim(), name: (l.cells[1] ?? '').trim(), parent: (l.cells[2] ?? '').trim(), cells: l.cells.length }));
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of parsed) {
      if (levelOf.has(p.code)) continue;
      const parentLevel = p.parent ? (levelOf.get(p.parent) ?? parentLevelInTree(existing, p.parent)) : null;
      const level: DistrictLevel | null | undefined = !p.parent ? 'city' : parentLevel ? CHILD_LEVEL[parentLevel] : undefined;
      if (level) {
        levelOf.set(p.code, level);
        changed = true;
      }
    }
  }
  const rows: District[] = [];
  for (const p of parsed) {
    const fail = (code: DistrictRowErrorCode) => errors.push({ line: p.line, code, ...(p.code ? { districtCode: p.code.slice(0, 20) } : {}) });
    if (p.cells < 2) {
      fail('malformed');
      continue;
    }
    if (!/^(\d{6}|\d{12})$/.test(p.code)) fail('bad-code');
    if (!p.name || [...p.name].length > 100 || /[\p{Cc}\p{Cf}]/u.test(p.name)) fail('bad-name');
    if (p.parent && !/^(\d{6}|\d{9}|\d{12})$/.test(p.parent)) fail('unknown-parent');
    const level = levelOf.get(p.code);
    const first = seen.get(p.code);
    if (first !== undefined || (level && existing.has(storedCode(p.code, level))) || existing.has(p.code)) fail('duplicate-code');
    seen.set(p.code, p.line);
    if (!/^(\d{6}|\d{12})$/.test(p.code)) continue;
    if (p.parent && !level) {
      const parentLevel = levelOf.get(p.parent) ?? parentLevelInTree(existing, p.parent);
      if (parentLevel === 'community') fail('wrong-level');
      else if (/^\d+$/.test(p.parent)) fail('unknown-parent');
      continue;
    }
    if (!level) continue;
    const parentStored = !p.parent ? null : fileCodes.has(p.parent) ? storedCode(p.parent, levelOf.get(p.parent)!) : existing.has(p.parent) ? p.parent : p.parent.slice(0, 9);
    if (!mayParent(parentStored)) fail('out-of-scope');
    const sixDigits = level === 'city' || level === 'district';
    if (sixDigits !== (p.code.length === 6) || (level === 'street' && !p.code.endsWith('000')) || (level === 'community' && p.code.endsWith('000'))) {
      fail('wrong-level');
      continue;
    }
    if (parentStored) {
      const parentLevel = levelOf.get(p.parent) ?? parentLevelInTree(existing, p.parent)!;
      if (!p.code.startsWith(childPrefix({ code: parentStored, level: parentLevel })) || p.code === parentStored) fail('not-under-parent');
    }
    rows.push({ code: storedCode(p.code, level), name: p.name, level, parentCode: parentStored });
  }
  return errors.length ? { rows: [], errors } : { rows, errors };
}

function parentLevelInTree(existing: ReadonlyMap<string, Pick<District, 'level' | 'retiredAt'>>, code: string): DistrictLevel | null {
  // A 12-digit 街镇 code names the stored 9-digit one.
  const row = existing.get(code) ?? (code.length === 12 && code.endsWith('000') ? existing.get(code.slice(0, 9)) : undefined);
  return row && !row.retiredAt ? row.level : null;
}

function isHeader(cells: string[]): boolean {
  return !/^\d+$/.test((cells[0] ?? '').trim());
}

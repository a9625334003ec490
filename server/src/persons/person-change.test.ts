import { makeCitizenId } from './citizen-id';
import { diffProfile, isSensitive, maskedValue, PROFILE_FIELDS, type ProfileValues } from './person-change';

const base: ProfileValues = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, null])) as ProfileValues;

describe('diffProfile', () => {
  it.each([
    ['riskTier', 'general', 'high'],
    ['subDisabilities', [2], [2, 3]],
    ['medicalNotes', null, '糖尿病'],
    ['lat', 30.1, null],
  ] as const)('when %s changes from %j to %j, then exactly that change is listed', (field, from, to) => {
    expect(diffProfile({ ...base, [field]: from }, { ...base, [field]: to })).toEqual([{ field, old: from, new: to }]);
  });

  it('when nothing differs (undefined and null alike, equal arrays), then no change', () => {
    expect(diffProfile({ ...base, subDisabilities: [1, 2], dialect: undefined }, { ...base, subDisabilities: [1, 2], dialect: null })).toEqual([]);
  });

  it('when several fields change, then they come in the profile order', () => {
    expect(diffProfile(base, { ...base, address: 'x', name: 'y' }).map((c) => c.field)).toEqual(['name', 'address']);
  });
});

describe('maskedValue', () => {
  const id = makeCitizenId('330102', '1950-03-07', 12);
  it.each([
    ['birthDate', '1950-03-07', '1950'],
    ['medicalNotes', '高血压', '***'],
    ['riskTier', 'high', 'high'],
    ['medicalNotes', null, null],
  ] as const)('when %s is %j, then it shows %j', (field, value, shown) => {
    expect(maskedValue(field, value)).toEqual(shown);
  });

  it('when an ID number is shown, then its birth date digits are hidden', () => {
    const shown = maskedValue('idNumber', id) as string;
    expect(shown).not.toContain('19500307');
    expect(shown).toHaveLength(18);
  });

  it('when a contact is shown, then its number is masked and the full number is gone', () => {
    const shown = maskedValue('contact', { name: '李', relation: '女儿', e164: '+8613912345678' });
    expect(JSON.stringify(shown)).not.toContain('13912345678');
    expect(shown).toMatchObject({ name: '李', phoneMasked: '139****5678' });
  });

  it('when a field is sensitive, then it is kept encrypted', () => {
    expect(['idNumber', 'certNumber', 'birthDate', 'medicalNotes', 'phone', 'contact', 'device'].every((f) => isSensitive(f as never))).toBe(true);
    expect(isSensitive('riskTier')).toBe(false);
  });
});

import { contactOrderSchema, deviceSchema, editPersonSchema, versionFromIfMatch } from './person-edit.schema';

describe('versionFromIfMatch', () => {
  it.each([
    ['"3"', 3],
    ['3', 3],
    ['W/"12"', 12],
    [' "7" ', 7],
    ['*', undefined],
    ['"a"', undefined],
    ['"1", "2"', undefined],
    [undefined, undefined],
  ])('when If-Match is %j, then the version is %j', (header, version) => {
    expect(versionFromIfMatch(header)).toBe(version);
  });
});

describe('edit schemas', () => {
  it.each([
    [{ version: 1, name: '张三\n李四' }, 'a line break in a name'],
    [{ version: 1, subDisabilities: [2, 2] }, 'a repeated sub-disability'],
    [{ version: 1, lat: 91 }, 'a latitude beyond 90'],
    [{ version: 1, birthDate: '2026-02-30x' }, 'a malformed birth date'],
    [{ version: 1, birthDate: '2026-02-30' }, 'a day February does not have (the database would refuse it with a 500)'],
    [{ version: 1, birthDate: '2023-02-29' }, 'no leap day in 2023'],
    [{ version: 1, districtCode: '330106' }, 'a field this endpoint does not edit (district: the status/move work)'],
    [{ version: 0 }, 'version 0'],
  ] as [Record<string, unknown>, string][])('when the edit carries %j, then it is refused (%s)', (body) => {
    expect(editPersonSchema.safeParse(body).success).toBe(false);
  });

  it('when an optional field is null, then it means "clear it"', () => {
    expect(editPersonSchema.parse({ version: 2, dialect: null, medicalNotes: null })).toEqual({ version: 2, dialect: null, medicalNotes: null });
  });

  it.each([['a b'], ['x"y'], ['-lead'], ['ab']])('when a device serial is %j, then it is refused (no CLI-unsafe or too short serials)', (serial) => {
    expect(deviceSchema.safeParse({ kind: 'sos_pendant', serial }).success).toBe(false);
  });

  it('when the contact order repeats nothing and names uuids, then it parses; otherwise not', () => {
    expect(contactOrderSchema.safeParse({ ids: ['00000000-0000-4000-8000-000000000000'] }).success).toBe(true);
    expect(contactOrderSchema.safeParse({ ids: [] }).success).toBe(false);
    expect(contactOrderSchema.safeParse({ ids: ['x'] }).success).toBe(false);
  });
});

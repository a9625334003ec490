import { makeCitizenId } from './citizen-id';
import { makeCertificateNumber } from './disability-certificate';
import { resolveIdentity } from './person-create.service';

const id = makeCitizenId('330102', '1952-03-15', 13); // sequence 013: odd → male
const cert = makeCertificateNumber(id, 4, 2);

describe('resolveIdentity', () => {
  it('when only an ID number is given, then gender and birth date come from it', () => {
    expect(resolveIdentity({ idNumber: id })).toMatchObject({ gender: 'M', birthDate: '1952-03-15', idNumber: id, certNumber: null });
  });

  it('when only a certificate is given, then ID, category and level come from it', () => {
    expect(resolveIdentity({ certNumber: cert })).toMatchObject({ gender: 'M', idNumber: id, certNumber: cert, category: 4, level: 2 });
  });

  it.each([
    [{ idNumber: id.slice(0, 17) + (id[17] === '1' ? '2' : '1') }, 'idNumber'],
    [{ idNumber: id, gender: 'F' as const }, 'gender'],
    [{ idNumber: id, birthDate: '1952-03-16' }, 'birthDate'],
    [{ certNumber: cert, disabilityCategory: 2 }, 'certNumber'],
    [{ certNumber: cert, idNumber: makeCitizenId('330102', '1960-01-01', 13) }, 'certNumber'],
    [{ certNumber: `${id}82` }, 'certNumber'],
    [{}, 'gender'],
  ])('when %p is entered, then it is refused naming %s', (input, path) => {
    expect(() => resolveIdentity(input)).toThrow(expect.objectContaining({ code: 'validation/invalid', details: [expect.objectContaining({ path })] }));
  });

  it('when nothing but gender is known, then the rest stays empty', () => {
    expect(resolveIdentity({ gender: 'F' })).toEqual({ gender: 'F', birthDate: null, idNumber: null, certNumber: null, category: null, level: null });
  });
});

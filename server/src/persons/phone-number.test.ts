import { maskPhone, normalizePhone } from './phone-number';

describe('normalizePhone', () => {
  it.each([
    // mobiles in every way callers and carriers write them
    ['13800138000', '+8613800138000', 'mobile', '13800138000'],
    ['+8613800138000', '+8613800138000', 'mobile', '13800138000'],
    ['+86 138 0013 8000', '+8613800138000', 'mobile', '13800138000'],
    ['008613800138000', '+8613800138000', 'mobile', '13800138000'],
    ['0086-138-0013-8000', '+8613800138000', 'mobile', '13800138000'],
    ['8613800138000', '+8613800138000', 'mobile', '13800138000'],
    ['013800138000', '+8613800138000', 'mobile', '13800138000'],
    ['138-0013-8000', '+8613800138000', 'mobile', '13800138000'],
    ['(138) 0013.8000', '+8613800138000', 'mobile', '13800138000'],
    ['  13900000001  ', '+8613900000001', 'mobile', '13900000001'],
    ['１３８００１３８０００', '+8613800138000', 'mobile', '13800138000'], // full-width digits
    ['19912345678', '+8619912345678', 'mobile', '19912345678'],
    ['16612345678', '+8616612345678', 'mobile', '16612345678'],
    ['14712345678', '+8614712345678', 'mobile', '14712345678'],
    // landlines with area code
    ['01065529988', '+861065529988', 'landline', '01065529988'],
    ['(010) 6552 9988', '+861065529988', 'landline', '01065529988'],
    ['+86 10 65529988', '+861065529988', 'landline', '01065529988'],
    ['021-88889999', '+862188889999', 'landline', '02188889999'],
    ['0086-21-88889999', '+862188889999', 'landline', '02188889999'],
    ['057188888888', '+8657188888888', 'landline', '057188888888'],
    ['0571-8888 8888', '+8657188888888', 'landline', '057188888888'],
    ['(0571)88888888', '+8657188888888', 'landline', '057188888888'],
    ['+86 571 88888888', '+8657188888888', 'landline', '057188888888'],
    ['86 571 88888888', '+8657188888888', 'landline', '057188888888'],
    ['0571－8888－8888', '+8657188888888', 'landline', '057188888888'], // full-width dashes
    // service numbers
    ['4008001234', '+864008001234', 'service', '4008001234'],
    ['400-800-1234', '+864008001234', 'service', '4008001234'],
    ['8008001234', '+868008001234', 'service', '8008001234'],
    ['+86 400 800 9999', '+864008009999', 'service', '4008009999'],
    // foreign numbers keep their country
    ['+852 9123 4567', '+85291234567', 'mobile', '91234567'],
  ] as const)('when given %j, then it is %s (%s)', (raw, e164, kind, national) => {
    expect(normalizePhone(raw)).toEqual({ e164, kind, national });
  });

  it.each([
    [''],
    ['   '],
    ['abc'],
    ['12345'],
    ['10086'], // carrier short code
    ['110'],
    ['1380013800'], // 10 digits
    ['138001380000'], // 12 digits
    ['12800138000'], // 12x is not a mobile range
    ['88889999'], // local landline without area code
    ['"Test" <13800138000>'], // CallerID text is the AMI adapter's job
    ['13800138000x12'], // extension
    ['138+00138000'],
    ['+86+13800138000'],
    ['1'.repeat(60)],
  ])('when given %j, then it is null', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('when given a region, then national numbers are read in that region', () => {
    expect(normalizePhone('(202) 555-0123', 'US')?.e164).toBe('+12025550123');
  });

  it('when given a non-string at runtime, then it is null', () => {
    expect(normalizePhone(undefined as unknown as string)).toBeNull();
  });
});

describe('maskPhone', () => {
  it.each([
    ['+8613800138000', '138****8000'],
    ['+8657188888888', '0571****8888'],
    ['+861065529988', '010****9988'],
    ['+864008001234', '400***1234'],
    ['not a number 123456', '**3456'],
    ['', '****'],
  ])('when masking %j, then it shows %j', (e164, masked) => {
    expect(maskPhone(e164)).toBe(masked);
  });
});

import { astdbCommands } from './sos-astdb';

describe('astdbCommands', () => {
  it('when devices have SIM numbers, then each becomes a put under its national number, after a deltree', () => {
    expect(astdbCommands([
      { e164: '+8657188888888', serial: 'SMOKE-9' },
      { e164: '+8613900000001', serial: 'pendant-0001' },
    ])).toBe('database deltree sos\ndatabase put sos 057188888888 SMOKE-9\ndatabase put sos 13900000001 pendant-0001\n');
  });

  it.each([
    ['a serial with a space (a second CLI word)', { e164: '+8613900000002', serial: 'a b' }],
    ['a serial with a quote', { e164: '+8613900000002', serial: 'x"y' }],
    ['a number that does not parse', { e164: 'garbage', serial: 'ok-1' }],
  ])('when a row has %s, then it is left out', (_why, row) => {
    expect(astdbCommands([row])).toBe('database deltree sos\n');
  });

  it('when there are no devices, then the family is still cleared (a retired last device disappears)', () => {
    expect(astdbCommands([])).toBe('database deltree sos\n');
  });
});

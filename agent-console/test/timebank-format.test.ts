/** Time-bank numbers in the console: coins from ledger units, money from fen, typed amounts, CSV cells. */
import { fenFromYuan, formatCoins, formatFen, signedUnitsFromCoins, toCsv, unitsFromCoins } from '../src/features/timebank/timebank-format';
import { isoFromLocal, localFromIso } from '../src/features/timebank/staff/datetime-local';

describe('time-bank numbers', () => {
  it.each([
    [0, '0'], [100, '1'], [150, '1.5'], [1, '0.01'], [-250, '-2.5'], [150_000, '1,500'],
  ])('when a balance is %p units, then it reads %p coins', (units, text) => {
    expect(formatCoins(units, 'zh-CN')).toBe(text);
  });

  it.each([
    ['1', 100], ['1.5', 150], [' 2.25 ', 225], ['0.01', 1],
    ['0', null], ['-1', null], ['1.234', null], ['abc', null], ['', null], ['1e3', null],
  ])('when %p coins are typed, then the amount is %p units', (text, units) => {
    expect(unitsFromCoins(text)).toBe(units);
  });

  it.each([
    ['-2.5', -250], ['+3', 300], ['3', 300], ['－1', -100], ['0', null], ['-0', null], ['--1', null], ['', null],
  ])('when an adjustment of %p coins is typed, then it is %p units', (text, units) => {
    expect(signedUnitsFromCoins(text)).toBe(units);
  });

  it('when fen are shown or typed, then yuan with two decimals', () => {
    expect(formatFen(123456, 'zh-CN')).toBe('¥1,234.56');
    expect(fenFromYuan('12.5')).toBe(1250);
    expect(fenFromYuan('0')).toBeNull();
  });

  it('when rows hold commas, quotes, line breaks or formula starts, then the CSV quotes and defuses them', () => {
    expect(toCsv([['区', '发放'], ['测试区', 12]])).toBe('区,发放\r\n测试区,12\r\n');
    expect(toCsv([['a,b', 'say "hi"', 'x\ny']])).toBe('"a,b","say ""hi""","x\ny"\r\n');
    expect(toCsv([['=1+1', '@SUM(A1)', '-12', -3]])).toBe("'=1+1,'@SUM(A1),-12,-3\r\n");
  });
});

describe('activity times in Asia/Shanghai', () => {
  it('when a datetime-local value is sent, then it is read as Shanghai time, and shown back the same', () => {
    expect(isoFromLocal('2026-12-05T09:30')).toBe('2026-12-05T01:30:00.000Z');
    expect(localFromIso('2026-12-05T01:30:00.000Z')).toBe('2026-12-05T09:30');
    expect(localFromIso(isoFromLocal('2026-01-01T00:15'))).toBe('2026-01-01T00:15');
    expect(isoFromLocal('')).toBe('');
    expect(localFromIso(null)).toBe('');
  });
});

/** Time-bank numbers in the console: coins from ledger units, money from fen, typed amounts, CSV cells. */
import { fenFromYuan, formatCoins, formatFen, toCsv, unitsFromCoins } from '../src/features/timebank/timebank-format';

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

import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['too short', 'Short-pass1', 'li.na', undefined, 'too-short'],
    ['12 characters but on the common list', 'password1234', 'li.na', undefined, 'common'],
    ['on the list in another case', 'QwertyUiop12', 'li.na', undefined, 'common'],
    ['on the list in full-width letters (NFKC)', 'ｐａｓｓｗｏｒｄ１２３４', 'li.na', undefined, 'common'],
    ['a long run of one digit', '111111111111', 'li.na', undefined, 'common'],
    ['containing the username', 'x-Li.Na-2026-river', 'li.na', undefined, 'is-username'],
    ['the current one again', 'Harbour-Lantern-7', 'li.na', 'Harbour-Lantern-7', 'unchanged'],
  ])('when the password is %s, then it is refused (%s)', (_what, next, username, current, reason) => {
    expect(passwordProblem(next, username, current)?.reason).toBe(reason);
  });

  it('when the password is long, uncommon and free of the username, then it is accepted', () => {
    expect(passwordProblem('Harbour-Lantern-Quiet-7', 'li.na', 'Old-Password-99')).toBeNull();
    expect(passwordProblem('雨后的西湖边有只白鹭飞过', 'li.na')).toBeNull();
  });

  it('when counting length, then characters count, not UTF-16 units', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(passwordProblem('🆘🆘🆘🆘🆘🆘🆘🆘🆘🆘🆘', 'x')?.reason).toBe('too-short'); // 11 characters, 22 units
  });
});

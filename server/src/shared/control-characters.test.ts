import { findControlCharacters, hasControlCharacters, stripControlCharacters } from './control-characters';

describe('control characters', () => {
  it.each([
    ['NUL', true, true, '\u0000'],
    ['BEL', true, true, 'a\u0007b'],
    ['ESC', true, true, '\u001b[31m'],
    ['DEL', true, true, '\u007f'],
    ['C1 NEL', true, true, '\u0085'],
    ['BOM', true, true, '\uFEFF张三'],
    ['lone high surrogate', true, true, 'x\uD800'],
    ['lone low surrogate', true, true, '\uDC00x'],
    ['tab', true, false, 'a\tb'],
    ['line feed', true, false, '第一行\n第二行'],
    ['carriage return', true, false, 'a\r\nb'],
    ['line separator', true, false, 'a\u2028b'],
    ['paragraph separator', true, false, 'a\u2029b'],
    ['plain Chinese', false, false, '报警器没电了'],
    ['emoji (a surrogate pair)', false, false, '救命🆘'],
    ['no-break space and ideographic space', false, false, 'a\u00A0b\u3000c'],
  ])('when the text holds %s, then one-line refuses it: %s, multi-line refuses it: %s', (_name, line, text, value) => {
    expect(hasControlCharacters(value, 'line')).toBe(line);
    expect(hasControlCharacters(value, 'text')).toBe(text);
  });

  it('when text is stripped, then only the refused characters go and pairs stay whole', () => {
    expect(stripControlCharacters('求\u0000救\u0007！🆘\uD800\uFEFF')).toBe('求救！🆘');
    expect(stripControlCharacters('a\nb\u0000', 'text')).toBe('a\nb');
    expect(stripControlCharacters('a\nb', 'line')).toBe('ab');
    // twice in a row: a global regex keeps no state between calls
    expect(stripControlCharacters('\u0000x')).toBe('x');
    expect(stripControlCharacters('\u0000x')).toBe('x');
  });

  it('when a body nests a control character deep down or in a key, then its path is named', () => {
    expect(findControlCharacters({ a: [1, { b: 'ok\n', c: 'bad\u0000' }] }, 'body')).toEqual({ path: 'body.a.1.c' });
    expect(findControlCharacters({ 'k\u0001': 1 }, 'body')).toEqual({ path: 'body."k"' });
    expect(findControlCharacters({ a: 'x\ny', n: 5, z: null }, 'body')).toBeNull();
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findControlCharacters(deep, 'body')?.path.startsWith('body.0.0')).toBe(true);
  });
});

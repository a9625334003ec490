import { answersProblem, birthdaysOn, festivalsOn, heatRank, maskName, type Question } from './campaign';

const Q: Question[] = [
  { id: 'feel', type: 'single', label: '身体怎么样', required: true, options: ['好', '一般', '不好'] },
  { id: 'needs', type: 'multiple', label: '需要什么', required: false, options: ['助餐', '助医'] },
  { id: 'mood', type: 'scale', label: '心情', required: true, min: 1, max: 5 },
  { id: 'alone', type: 'yes_no', label: '独自在家', required: true },
  { id: 'note', type: 'text', label: '其他', required: false },
];

describe('answersProblem', () => {
  it.each([
    [{ feel: '好', mood: 3, alone: false }, null],
    [{ feel: '好', needs: ['助餐'], mood: 5, alone: true, note: '无' }, null],
    [{ mood: 3, alone: false }, '请回答：身体怎么样'],
    [{ feel: '很好', mood: 3, alone: false }, '「身体怎么样」的答案不是可选项之一'],
    [{ feel: '好', needs: ['助餐', '助餐'], mood: 3, alone: false }, '「需要什么」的答案不是可选项'],
    [{ feel: '好', mood: 6, alone: false }, '「心情」的分值应在 1–5 之间'],
    [{ feel: '好', mood: 2.5, alone: false }, '「心情」的分值应在 1–5 之间'],
    [{ feel: '好', mood: 3, alone: 'yes' }, '「独自在家」请回答是或否'],
    [{ feel: '好', mood: 3, alone: true, extra: 1 }, '问卷中没有问题 extra'],
  ])('when the answers are %j, then the problem is %s', (answers, problem) => {
    expect(answersProblem(Q, answers)).toBe(problem);
  });
});

describe('event days', () => {
  it('when it is the third Sunday of May, then it is 助残日 (and not the second or fourth)', () => {
    expect(festivalsOn('2026-05-17').map((f) => f.key)).toEqual(['disability_day']);
    expect(festivalsOn('2027-05-16').map((f) => f.key)).toEqual(['disability_day']);
    expect(festivalsOn('2026-05-10')).toEqual([]);
    expect(festivalsOn('2026-05-24')).toEqual([]);
    expect(festivalsOn('2026-10-18').map((f) => f.name)).toEqual(['重阳节']);
  });
  it('when a common year reaches 28 February, then 29 February birthdays are celebrated too', () => {
    expect(birthdaysOn('2027-02-28')).toEqual(['02-28', '02-29']);
    expect(birthdaysOn('2028-02-28')).toEqual(['02-28']);
    expect(birthdaysOn('2028-02-29')).toEqual(['02-29']);
  });
  it('heat calls: high risk alone first; names mask to the surname', () => {
    expect([heatRank('high', 'alone'), heatRank('high', 'with_family'), heatRank('general', 'alone'), heatRank('key', null)]).toEqual([0, 1, 2, 3]);
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('欧')).toBe('*');
  });
});

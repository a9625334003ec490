import { classifySosText, isSosText } from './sms-keywords';

/**
 * The corpus that pins the SOS text rules: realistic texts to the hotline from disabled people, their
 * guardians and neighbours (zh, a few English, full-width forms). Add a text here before changing a rule.
 */
const SOS: string[] = [
  'SOS',
  'sos',
  'ＳＯＳ',
  'ＳＯＳ　我摔倒了',
  'sos 我摔倒了',
  '救命',
  '救命！',
  '救命啊，有人吗',
  '救救我',
  '快来人，我起不来了',
  '我在卫生间摔倒了，起不来',
  '老人摔倒了，快来',
  '我妈在家跌倒了，叫不醒',
  '我爸晕倒了',
  '摔了一跤，腿动不了',
  '我动不了了，帮帮我',
  '喘不上气',
  '喘不过气来了，快',
  '呼吸困难',
  '胸口疼得厉害',
  '胸口很闷，快不行了',
  '心脏病犯了',
  '我奶奶好像中风了，嘴歪了',
  '家里着火了',
  '厨房失火了！',
  '煤气泄漏了，我走不动',
  '手上一直流血，止不住',
  '有人闯进我家',
  '有人在打我',
  '被抢劫了',
  '紧急求助',
  '求救',
  '求救！我是聋人，家里出事了',
  '帮帮我',
  '我要报警',
  '帮我报警',
  '报警',
  '快报警，有人撬门',
  '需要急救',
  '不是误按，救命',
  '这不是测试，我真的摔倒了',
  '摔倒了，手环也没电了',
  '我摔倒了怎么办？',
  '救命啊怎么办',
  'Help',
  'HELP!',
  'help me',
  'Help me please',
  'Please help me I fell',
  'I fell and cannot get up',
  "I can't breathe",
  'chest pain, need ambulance',
  'Emergency',
  'someone broke in',
  'fire in my flat',
  'ＨＥＬＰ',
  '我是独居老人，摔倒在地上起不来了，地址是幸福路12号',
  '妈妈昏迷了',
];

const NOT_SOS: string[] = [
  '报警器没电了',
  '报警器没电了，能来换电池吗',
  '我的报警器一直在响，怎么关掉',
  '报警器坏了',
  '报警按钮没反应',
  '一键报警器电量低',
  '手环没电了',
  'SOS按钮怎么用？',
  'sos键坏了，能修吗',
  '求救按钮可以换一个吗',
  '测试SOS',
  '这是测试，SOS',
  '刚才误按了SOS，没事',
  '误按了，不好意思',
  '按错了',
  '我没事',
  '平安',
  '没事了，谢谢',
  '不用报警，已经好了',
  '不紧急，想问问补贴',
  '急救培训什么时候开始？',
  '急救包在哪里领？',
  '急救电话是多少',
  'SOS是什么意思',
  '紧急联系人怎么修改',
  '我想更新紧急联系人的电话',
  '我想咨询一下残疾人补贴',
  '请问助残补贴什么时候发',
  '我想预约下周的助医服务',
  '帮我查一下工单进度',
  '能帮忙预约助餐吗',
  '轮椅申请需要什么材料',
  '谢谢你们昨天的帮助',
  '好的',
  '收到',
  '明天上午在家',
  '我的残疾证到期了，怎么换',
  '助听器电池在哪领',
  '社区活动几点开始',
  '请给我回电话',
  '你好',
  '',
  'sosa',
  '我想投诉上门服务的人迟到',
  '下个月的助行服务能改时间吗',
  '报警器安装好了，谢谢',
  'Where is the help desk',
  'Can you help me with my application',
  'I need help with the subsidy form',
  'This is a test',
  'Test message, please ignore',
  'pressed SOS by mistake, I am fine',
  'not an emergency, just a question about my pension',
  'how do I use the SOS button?',
  'my alarm pendant battery is low',
  'thanks for the help yesterday',
  '我没有摔倒，只是问问',
];

const UNSURE: string[] = [
  '我胸口有点不舒服',
  '很难受',
  '头好晕',
  '我很害怕',
  '有急事，请尽快联系我',
  '要不要报警？',
  '快来',
  'urgent please call back',
  'I feel sick',
  '我摔倒了，不过现在没事了',
];

describe('SOS text rules (corpus)', () => {
  it('when the corpus is counted, then it holds at least 50 texts each way', () => {
    expect(SOS.length).toBeGreaterThanOrEqual(50);
    expect(NOT_SOS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(SOS)('when the text is %j, then it is an SOS', (text) => {
    expect(classifySosText(text)).toBe('sos');
    expect(isSosText(text)).toBe(true);
  });

  it.each(NOT_SOS)('when the text is %j, then it is not an SOS', (text) => {
    expect(classifySosText(text)).toBe('not_sos');
  });

  it.each(UNSURE)('when the text is %j, then it is unsure (an urgent order for a human, no SOS)', (text) => {
    expect(classifySosText(text)).toBe('unsure');
    expect(isSosText(text)).toBe(false);
  });
});

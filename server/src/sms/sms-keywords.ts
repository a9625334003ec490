/**
 * Does a text ask for emergency help? Pure rules, pinned by the corpus in `sos-text.test.ts`.
 *
 * A bare keyword is not enough: "报警器没电了" (the alarm's battery is flat) names 报警 but asks for
 * maintenance. The classifier weighs
 * - distress (救命, 摔倒了, 起不来, 喘不上气, 着火了, "help me", "I fell" …): an SOS even as a question;
 * - SOS words (SOS, 求救, 紧急求助, 帮帮我, 我要报警, "help" …): an SOS unless the text is about a device, a
 *   test or a mistake, negates them, or asks for information ("SOS 按钮怎么用？");
 * - weak signs (不舒服, 难受, 很急, 120, "urgent" …): unsure — a human looks at it;
 * and answers `sos` (raise an SOS), `unsure` (an urgent order for a human) or `not_sos`.
 * Full-width forms are folded (NFKC) first.
 *
 * @example classifySosText('救命') // 'sos'
 * @example classifySosText('报警器没电了') // 'not_sos'
 * @example classifySosText('我胸口有点不舒服') // 'unsure'
 */
export type SosTextClass = 'sos' | 'unsure' | 'not_sos';

/** Words that name things, not pleas: removed before the keywords are looked for. */
const TOPIC_NOUNS =
  /报警器|报警按钮|报警装置|报警手环|报警铃|一键报警器?|sos\s*(按钮|按键|键|功能|手环|设备|呼叫器|挂件)|急救(包|箱|培训|知识|课|证|电话|中心|站)|紧急联系人|求救(器|按钮|功能|哨)|help\s*(desk|line|center|centre|page|menu|text)|helpline|helpdesk|thank(s| you)\s+(you\s+)?for\s+(the|your|all\s+the)\s+help|help\s+(me\s+)?(with|to|fill|apply|book|find|understand|check)|(can|could|would)\s+(you|someone)\s+help/g;

/** Said to deny a denial: "不是误按", "this is not a test". */
const AFFIRMATIONS = /不是(误按|按错|测试|开玩笑|玩笑)|没有(按错|误按)|not\s+a\s+(test|drill|joke)|no\s+joke/g;

const DISTRESS =
  /救命|救救我|快来人|来人啊|来人呀|(摔|跌)倒|摔了一?跤|起不来|爬不起来|动不了|不能动|喘不(上|过)气|呼吸困难|透不过气|胸口(疼|痛|闷)|胸痛|心脏病(犯|发)|晕倒|昏倒|昏迷|不省人事|着火|失火|火灾|煤气(泄漏|漏了)|漏气了|流血|出血不止|大出血|有人闯|抢劫|被打|打我|快不行了|要死了|中风|help\s*me|i\s*(have\s*)?fallen|i\s*fell|can'?t\s*breathe|cannot\s*breathe|chest\s*pain|heart\s*attack|\bfire\b|broke\s*in|i'?m\s*hurt|bleeding|\bdying\b/;

/** A distress word negated: "没有摔倒", "不用救", "没着火". */
const NEGATED_DISTRESS = /(没有?|不是|并没有?|未)(摔倒|跌倒|着火|失火|流血|晕倒)|不用救|not\s+(hurt|bleeding|dying)|didn'?t\s+fall|haven'?t\s+fallen/g;

const SOS_WORDS = /\bsos\b|求救|紧急求助|急救|救我|帮帮我|报警|\bhelp\b|\bemergency\b|\b(send|need)\s+(an?\s+)?ambulance\b/;

/** The text denies it is an emergency, or is a test or a mistake. */
const NOT_AN_EMERGENCY =
  /测试|试一下|试试|试用|演练|演习|误按|按错|误触|不小心按|碰到了|没事|平安|已经好了|不用了|不需要(帮助|救援|了)|不用报警|不紧急|不是紧急|不急|取消|\btest(ing)?\b|\bdrill\b|false\s*alarm|by\s*mistake|accident(ally)?|pressed\s*it\s*wrong|\bignore\b|not\s+(an?\s+)?emergency|no\s+emergency|(i'?m|i\s+am)\s+(ok|okay|fine|safe)|don'?t\s+need\s+help|no\s+help\s+needed/;

const DEVICE = /报警器|按钮|按键|手环|呼叫器|设备|腕表|手表|挂件|吊坠|机器|sos\s*(按钮|键|功能)|\b(alarm|pendant|device|button|bracelet|watch)\b/;
const MAINTENANCE =
  /没电|电量|低电|充电|电池|坏了|故障|不亮|不响|没反应|没有反应|失灵|维修|修一下|修理|更换|换一个|换个|安装|怎么用|如何使用|使用方法|领取|申请|静音|一直(响|叫|在响)|乱响|误报|\b(battery|charge|charging|broken|not\s+working|replace|install|beeping)\b/;

/** Asks for information (about SOS, 急救, 报警 …) rather than for help. */
const INFO_QUESTION =
  /是什么|什么意思|啥意思|怎么(用|设置|开通|办理|申请|关掉|关闭)|如何(使用|设置|开通|办理|申请)|(电话|号码)是多少|在哪(里|儿)?(领|办|申请)|多少钱|有没有(开通|这个)|能不能(开通|办理)|\bwhat\s+(is|does)\b|\bhow\s+(do|to|can)\b|\bwhere\s+(do|can)\b/;

const QUESTION = /[?？]|吗|么[。]?$|要不要|是否|\b(should|shall)\s+i\b/;

const WEAK = /快来|不舒服|难受|很痛|好痛|很疼|好疼|疼得|头晕|头好晕|很急|急事|着急|紧急|害怕|好怕|吓人|\b(110|119|120)\b|urgent|\bsick\b|\bpain\b|\bscared\b|\bafraid\b|\bhurts?\b|\bdizzy\b/;

/** The text as the rules read it: NFKC (full-width → half-width), lower case, spaces folded. */
function normalise(body: string): string {
  return body.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Classify a text: raise an SOS, open an urgent order for a human, or neither. */
export function classifySosText(body: string): SosTextClass {
  const raw = normalise(body);
  if (!raw) return 'not_sos';
  const affirmed = raw.replace(AFFIRMATIONS, ' ');
  const text = affirmed.replace(TOPIC_NOUNS, ' ');
  const denied = NOT_AN_EMERGENCY.test(affirmed);
  const aboutDevice = DEVICE.test(raw) && MAINTENANCE.test(raw);
  const distress = DISTRESS.test(text.replace(NEGATED_DISTRESS, ' '));
  if (distress) return denied ? 'unsure' : 'sos';
  if (SOS_WORDS.test(text)) {
    if (denied || aboutDevice || INFO_QUESTION.test(text)) return 'not_sos';
    return QUESTION.test(text) ? 'unsure' : 'sos';
  }
  if (WEAK.test(text)) {
    if (denied || aboutDevice || INFO_QUESTION.test(text)) return 'not_sos';
    return 'unsure';
  }
  return 'not_sos';
}

/**
 * Whether a text raises an SOS (an `unsure` one does not).
 * @example isSosText('ＳＯＳ') // true
 * @example isSosText('我想咨询一下补贴') // false
 */
export function isSosText(body: string): boolean {
  return classifySosText(body) === 'sos';
}

/** Replies meaning "I am fine" to an SOS text. */
export function isSafeReply(body: string): boolean {
  return /^(平安|安全|没事|没事了|我没事|误按|按错了|ok|好的)[。.!！]*$/i.test(body.normalize('NFKC').trim());
}

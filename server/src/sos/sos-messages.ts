/** The texts the SOS chain sends, Mandarin, short enough for one or two SMS segments. Pure. */

export interface MessageContext {
  ticketNumber: string;
  personName: string | null;
  address: string | null;
  hotline: string;
  /** The contact's relation to the person (女儿, 邻居 …), for the contact text. */
  relation?: string;
}

export type MessageTemplate = 'person' | 'contact' | 'community';

/**
 * @example smsText('contact', { ticketNumber: '20261122-0001', personName: '王秀兰', address: null, hotline: '4008001234', relation: '女儿' })
 * // '【安心热线】您的家人王秀兰刚刚发出紧急求助（工单20261122-0001），我们暂未联系上本人。请尽快联系或前往查看，并回电4008001234。'
 */
export function smsText(template: MessageTemplate, c: MessageContext): string {
  const who = c.personName ?? '您登记的联系人';
  switch (template) {
    case 'person':
      return `【安心热线】我们已收到您的紧急求助（工单${c.ticketNumber}），工作人员正在处理。可直接回复短信说明情况；如已安全，请回复"平安"。`;
    case 'contact':
      return `【安心热线】您的家人${who}刚刚发出紧急求助（工单${c.ticketNumber}），我们暂未联系上本人。请尽快联系或前往查看，并回电${c.hotline}。`;
    case 'community':
      return `【安心热线】辖区居民${who}${c.address ? `（${c.address}）` : ''}发出紧急求助（工单${c.ticketNumber}），尚未联系上本人及家属，请协助上门查看并回电${c.hotline}。`;
  }
}

export const SOURCE_LABEL: Record<string, string> = {
  device_call: 'SOS 设备呼入',
  twilio_call: 'SOS 设备呼入（云通信）',
  alarm_api: '设备报警平台',
  sensor: '传感器报警',
  sms: '短信求救',
};

export const ALARM_LABEL: Record<string, string> = {
  button: '一键呼救',
  fall: '跌倒报警',
  smoke: '烟雾报警',
  gas: '燃气泄漏报警',
  water_leak: '漏水报警',
  door_open: '门磁报警',
  inactivity: '长时间无活动',
  health_abnormal: '健康指标异常',
  call: '一键呼救来电',
  sms: '短信求救',
};

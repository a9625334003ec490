/**
 * The texts of dispatch SMS. An offer names the service, the time and the area — never the full address,
 * the person's name or anything about their disability — with the reply codes and the one-time link.
 */
import type { ServiceCode, WithdrawReason } from '../../../dispatch/src';

export const SERVICE_LABELS: Record<ServiceCode, string> = {
  help_walk: '助行',
  medical_escort: '助医',
  meals: '助餐',
  family_visit: '助亲',
  shopping: '助购',
  urgent_help: '助急',
  recreation: '助乐',
  outing: '助游',
  order_fulfilment: '订单配送',
};

/** `12月6日 11:30` in Shanghai time. */
export function shanghaiShort(at: Date): string {
  const s = new Date(at.getTime() + 8 * 3600_000);
  return `${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${String(s.getUTCHours()).padStart(2, '0')}:${String(s.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * @example offerText({ service: 'meals', start, areaText: '花木街道', code: 'K7', link, urgent: false })
 * // 【安心】助餐 12月6日 11:30 花木街道。回复 1 接单，2 谢绝（K7）。详情 https://…/f/…
 */
export function offerText(o: { service: ServiceCode; start: Date; areaText: string; code: string; link: string; urgent: boolean; minutes: number }): string {
  return `【安心】${o.urgent ? '紧急 ' : ''}${SERVICE_LABELS[o.service]} ${shanghaiShort(o.start)} ${o.areaText}。${o.minutes}分钟内回复 1 接单，2 谢绝（${o.code}）。详情 ${o.link}`;
}

export function withdrawnText(service: ServiceCode, start: Date, reason: WithdrawReason): string {
  const why = reason === 'taken_by_other' ? '已由其他人员接单' : reason === 'cancelled' ? '已取消' : '已由调度员撤回';
  return `【安心】${SERVICE_LABELS[service]} ${shanghaiShort(start)} 的任务${why}，无需前往。谢谢！`;
}

export function assignedText(service: ServiceCode, start: Date, link: string): string {
  return `【安心】已确认由您承接 ${SERVICE_LABELS[service]} ${shanghaiShort(start)}。地址与注意事项请打开 ${link}`;
}

export function replyText(kind: 'accepted' | 'declined' | 'ended' | 'none' | 'ambiguous' | 'expired', detail = ''): string {
  switch (kind) {
    case 'accepted':
      return `【安心】接单成功${detail}。地址与注意事项请打开短信中的链接。`;
    case 'declined':
      return '【安心】已收到，您已谢绝该任务。谢谢！';
    case 'expired':
      return '【安心】该任务邀请已超时，已转给其他人员。';
    case 'ended':
      return `【安心】该任务邀请已失效${detail}。`;
    case 'ambiguous':
      return `【安心】您有多个待回复的任务，请回复“1 编号”或“2 编号”，如 ${detail}。`;
    case 'none':
      return '【安心】您没有待回复的任务邀请。';
  }
}

/**
 * What a device alarm means, given the device's mode (在家/外出/睡眠) and armed state (布防/撤防). Pure.
 *
 * - 24-hour zones alarm whatever the arming: the SOS button, smoke, gas.
 * - Life-safety sensors alarm when armed, in any mode: falls, abnormal health readings.
 * - Activity and intrusion sensors depend on the mode: a door opening while the person is away, or at
 *   night in sleep mode (wandering risk), is an emergency; at home in the day it is normal life. Long
 *   inactivity matters at home or asleep, not when away.
 * - A water leak is urgent but not life-threatening: a P1 order, not an SOS.
 * - Heartbeats are records; low battery (reported or seen in any alarm) opens a maintenance order.
 */
import type { DeviceKind, DeviceMode } from '../persons/device.entity';
import type { AlarmType } from './alarm.schema';

export type AlarmDecision =
  | { kind: 'sos'; silent: boolean; reason: string }
  | { kind: 'urgent'; reason: string }
  | { kind: 'maintenance'; reason: string }
  | { kind: 'record'; reason: string };

export interface DeviceState {
  kind: DeviceKind;
  mode: DeviceMode;
  armed: boolean;
}

export interface AlarmFacts {
  type: AlarmType;
  battery?: number;
  silent?: boolean;
}

const MODE_LABEL: Record<DeviceMode, string> = { home: '在家', away: '外出', sleep: '睡眠' };

/**
 * @example decideAlarm({ kind: 'door_sensor', mode: 'away', armed: true }, { type: 'door_open' }) // { kind: 'sos', silent: true, … }
 * @example decideAlarm({ kind: 'door_sensor', mode: 'home', armed: true }, { type: 'door_open' }) // { kind: 'record', … }
 */
export function decideAlarm(device: DeviceState, alarm: AlarmFacts): AlarmDecision {
  const mode = MODE_LABEL[device.mode];
  const disarmed = { kind: 'record', reason: `设备已撤防（${mode}模式），仅记录` } as const;
  switch (alarm.type) {
    case 'sos':
      return { kind: 'sos', silent: alarm.silent ?? false, reason: '一键呼救（24 小时防区）' };
    case 'smoke':
    case 'gas':
      return { kind: 'sos', silent: true, reason: `${alarm.type === 'smoke' ? '烟雾' : '燃气'}报警（24 小时防区）` };
    case 'fall':
    case 'health_abnormal':
      return device.armed ? { kind: 'sos', silent: true, reason: `${alarm.type === 'fall' ? '跌倒' : '健康指标异常'}（已布防）` } : disarmed;
    case 'door_open':
      if (!device.armed) return disarmed;
      if (device.mode === 'away') return { kind: 'sos', silent: true, reason: '外出布防时门被打开' };
      if (device.mode === 'sleep') return { kind: 'sos', silent: true, reason: '睡眠模式下门被打开（走失风险）' };
      return { kind: 'record', reason: '在家模式下开门，属正常活动' };
    case 'inactivity':
      if (!device.armed) return disarmed;
      return device.mode === 'away' ? { kind: 'record', reason: '外出模式下无活动，属正常' } : { kind: 'sos', silent: true, reason: `${mode}模式下长时间无活动` };
    case 'water_leak':
      return device.armed ? { kind: 'urgent', reason: '漏水报警' } : disarmed;
    case 'low_battery':
      return { kind: 'maintenance', reason: '设备报告电量低' };
    case 'heartbeat':
      return { kind: 'record', reason: '心跳' };
  }
}

/** Whether a reported battery level needs a maintenance order. */
export function batteryLow(battery: number | undefined | null, thresholdPercent: number): boolean {
  return battery !== undefined && battery !== null && battery <= thresholdPercent;
}

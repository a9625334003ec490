import type { DeviceKind, DeviceMode } from '../persons/device.entity';
import { batteryLow, decideAlarm } from './alarm-policy';
import type { AlarmType } from './alarm.schema';

describe('decideAlarm', () => {
  it.each<[AlarmType, DeviceKind, DeviceMode, boolean, string]>([
    ['sos', 'sos_pendant', 'home', true, 'sos'],
    ['sos', 'sos_pendant', 'away', false, 'sos'],
    ['smoke', 'smoke_sensor', 'home', false, 'sos'],
    ['gas', 'gas_sensor', 'sleep', false, 'sos'],
    ['fall', 'fall_detector', 'home', true, 'sos'],
    ['fall', 'fall_detector', 'home', false, 'record'],
    ['health_abnormal', 'health_monitor', 'sleep', true, 'sos'],
    ['door_open', 'door_sensor', 'away', true, 'sos'],
    ['door_open', 'door_sensor', 'sleep', true, 'sos'],
    ['door_open', 'door_sensor', 'home', true, 'record'],
    ['door_open', 'door_sensor', 'away', false, 'record'],
    ['inactivity', 'health_monitor', 'home', true, 'sos'],
    ['inactivity', 'health_monitor', 'away', true, 'record'],
    ['water_leak', 'water_sensor', 'home', true, 'urgent'],
    ['water_leak', 'water_sensor', 'home', false, 'record'],
    ['low_battery', 'door_sensor', 'home', false, 'maintenance'],
    ['heartbeat', 'sos_pendant', 'home', true, 'record'],
  ])('when %s comes from a %s in %s mode (armed %s), then it is %s', (type, kind, mode, armed, expected) => {
    expect(decideAlarm({ kind, mode, armed }, { type }).kind).toBe(expected);
  });

  it('when the SOS button says silent, then the SOS is silent; sensor alarms are always silent', () => {
    expect(decideAlarm({ kind: 'sos_pendant', mode: 'home', armed: true }, { type: 'sos', silent: true })).toMatchObject({ kind: 'sos', silent: true });
    expect(decideAlarm({ kind: 'sos_pendant', mode: 'home', armed: true }, { type: 'sos' })).toMatchObject({ kind: 'sos', silent: false });
    expect(decideAlarm({ kind: 'smoke_sensor', mode: 'home', armed: true }, { type: 'smoke' })).toMatchObject({ kind: 'sos', silent: true });
  });

  it.each([
    [undefined, false],
    [null, false],
    [21, false],
    [20, true],
    [0, true],
  ])('when the battery is %p with a 20%% threshold, then low is %p', (battery, low) => {
    expect(batteryLow(battery, 20)).toBe(low);
  });
});

import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { Device } from './device.entity';
import type { RecordValue } from './person-change';
import type { PersonChangeLog } from './person-change-log';
import type { DeviceInput, DevicePatch } from './person-edit.schema';
import { Person } from './person.entity';
import type { PersonDetail, PersonService } from './person.service';
import { normalizePhone } from './phone-number';

const valueOf = (d: Device): RecordValue => ({ kind: d.kind, serial: d.serial, model: d.model, e164: d.phoneE164, mode: d.mode, armed: d.armed, retired: d.retiredAt !== null });

/**
 * 远程监护 devices of a person: register (serial, model, the SIM number of a calling pendant), arm/disarm,
 * mode 在家/外出/睡眠, retire. The IVR follows at once: its lookup and the AstDB list read the device table
 * (a retired device is no SOS device any more), and a retired device's alarm key stops working on this node
 * at once (`forgetKey`).
 */
export class PersonDevicesService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly persons: PersonService,
    private readonly history: PersonChangeLog,
    private readonly clock: Clock,
    private readonly forgetKey: (serial: string) => void,
  ) {}

  /**
   * @throws AppError device/serial-taken, validation/invalid (a phone that is no callable number)
   * @example await devices.register(actor, personId, { kind: 'sos_pendant', serial: 'PD-2026-0001', phone: '13900000009', mode: 'home', armed: true });
   */
  async register(actor: Actor, personId: string, input: DeviceInput): Promise<PersonDetail> {
    let phoneE164: string | null = null;
    if (input.phone) {
      const phone = normalizePhone(input.phone);
      if (!phone || phone.kind === 'service') throw new AppError('validation/invalid', `无法识别的电话号码: ${input.phone}`, [{ path: 'phone', message: '无法识别的电话号码' }]);
      phoneE164 = phone.e164;
    }
    return this.change(actor, personId, 'device.register', async (m, person) => {
      if (await m.existsBy(Device, { serial: input.serial })) throw new AppError('device/serial-taken', `序列号 ${input.serial} 已登记`);
      const device = await m.save(Device, m.create(Device, { personId: person.id, kind: input.kind, serial: input.serial, model: input.model || null, mode: input.mode, armed: input.armed, battery: null, lastHeartbeatAt: null, phoneE164, retiredAt: null }));
      return { device, old: null };
    });
  }

  /** Arm/disarm (布防/撤防) or switch the mode. @throws AppError device/not-found, device/retired */
  async update(actor: Actor, personId: string, deviceId: string, patch: DevicePatch): Promise<PersonDetail> {
    return this.change(actor, personId, 'device.update', async (m, person) => {
      const device = await this.deviceOf(m, person.id, deviceId);
      if (device.retiredAt) throw new AppError('device/retired', '设备已停用，不能再布防或切换模式');
      const old = valueOf(device);
      await m.update(Device, { id: device.id }, { ...(patch.mode ? { mode: patch.mode } : {}), ...(patch.armed !== undefined ? { armed: patch.armed } : {}) });
      return { device: await m.findOneByOrFail(Device, { id: device.id }), old };
    });
  }

  /** Retire: kept on record, disarmed, no longer an SOS device anywhere. Retiring twice is refused. */
  async retire(actor: Actor, personId: string, deviceId: string): Promise<PersonDetail> {
    const result = await this.change(actor, personId, 'device.retire', async (m, person) => {
      const device = await this.deviceOf(m, person.id, deviceId);
      if (device.retiredAt) throw new AppError('device/retired', '设备已停用');
      const old = valueOf(device);
      await m.update(Device, { id: device.id }, { retiredAt: this.clock.now(), armed: false });
      return { device: await m.findOneByOrFail(Device, { id: device.id }), old };
    });
    return result;
  }

  private async deviceOf(m: EntityManager, personId: string, deviceId: string): Promise<Device> {
    const device = await m.findOneBy(Device, { id: deviceId, personId });
    if (!device) throw new AppError('device/not-found', `设备 ${deviceId} 不存在`);
    return device;
  }

  private async change(actor: Actor, personId: string, action: string, work: (m: EntityManager, person: Person) => Promise<{ device: Device; old: RecordValue | null }>): Promise<PersonDetail> {
    await this.persons.loadInScope(actor, personId, action);
    const serial = await this.ds.transaction(async (m) => {
      const person = await m.findOneOrFail(Person, { where: { id: personId }, lock: { mode: 'pessimistic_write' } });
      const { device, old } = await work(m, person);
      await this.history.write(m, person.id, person.version, actor, [{ field: 'device', old, new: valueOf(device) }], this.clock.now());
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action, subjectType: 'person', subjectId: person.id, subjects: [{ type: 'device', id: device.id }], outcome: 'ok' }, m);
      return device.serial;
    });
    this.forgetKey(serial); // after commit: the alarm path re-reads the key (and sees a retirement)
    return this.persons.record(await this.ds.getRepository(Person).findOneByOrFail({ id: personId }));
  }
}

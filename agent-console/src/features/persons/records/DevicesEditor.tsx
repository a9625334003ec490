import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonDetail, PersonDevice } from '../../../api/wire';
import { errorText, fieldErrors, formatDateTime } from '../../../app/format';
import { EmptyState, ErrorNotice } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { announce } from '../../../state/announcer';
import { DEVICE_KINDS, DEVICE_MODES, recordsApi, type DeviceBody, type DeviceMode, type IssuedKey } from './records-api';
import { useCanEdit, useRecordChange, useRole } from './use-record-change';

/** One device: mode, arm/disarm, retire (asks once more), and for a supervisor the alarm key, shown once. */
function DeviceItem({ person, device, change }: { person: PersonDetail; device: PersonDevice; change: ReturnType<typeof useRecordChange> }) {
  const { t, i18n } = useTranslation();
  const canEdit = useCanEdit();
  const role = useRole();
  const [mode, setMode] = useState<DeviceMode>(device.mode as DeviceMode);
  const [confirming, setConfirming] = useState(false);
  const [key, setKey] = useState<IssuedKey | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const retired = !!device.retiredAt;
  const label = `${t(`deviceKind.${device.kind}`, { defaultValue: device.kind })} ${device.serial}`;

  const applyMode = (e: FormEvent) => {
    e.preventDefault();
    if (!change.busy) void change.run(() => recordsApi.editDevice(person.id, device.id, { mode }), t('records.devices.modeSet', { device: label, mode: t(`deviceMode.${mode}`) }));
  };
  const retire = () => {
    if (!confirming) return setConfirming(true);
    void change.run(() => recordsApi.retireDevice(person.id, device.id), t('records.devices.retired', { device: label })).then((ok) => {
      setConfirming(false);
      // The controls are gone once retired: focus goes to the section heading, not to the page's start.
      if (ok) requestAnimationFrame(() => document.getElementById('devices-title')?.focus());
    });
  };
  const issue = async () => {
    setKeyError(null);
    try {
      setKey(await recordsApi.issueKey(device.id));
      announce(t('records.devices.keyIssued', { device: label }));
    } catch (err) {
      const message = errorText(t, err);
      setKeyError(message);
      announce(message, 'assertive');
    }
  };

  return (
    <li>
      <strong>{t(`deviceKind.${device.kind}`, { defaultValue: device.kind })}</strong> <span className="mono muted">{device.serial}</span>
      {device.model && <> · {device.model}</>}
      {retired && <span className="badge badge--plain">{t('records.devices.retiredBadge')}</span>}
      <br />
      {device.phoneMasked && <>{t('records.devices.sim')} <span className="mono">{device.phoneMasked}</span> · </>}
      {t(`deviceMode.${device.mode}`, { defaultValue: device.mode })} · {device.armed ? t('person.armed') : t('person.disarmed')}
      {device.battery !== null && <> · {t('person.battery', { battery: device.battery })}</>}
      {device.lastHeartbeatAt && <> · {t('person.lastHeartbeat')} {formatDateTime(device.lastHeartbeatAt, i18n.language)}</>}
      {retired && <> · {t('records.devices.retiredAt', { at: formatDateTime(device.retiredAt, i18n.language) })}</>}
      {canEdit && !retired && (
        <>
          <form className="button-row" onSubmit={applyMode} aria-label={t('records.devices.modeFor', { device: label })}>
            <SelectField label={t('records.devices.mode', { device: label })} value={mode} onChange={(e) => setMode(e.target.value as DeviceMode)}>
              {DEVICE_MODES.map((m) => <option key={m} value={m}>{t(`deviceMode.${m}`)}</option>)}
            </SelectField>
            <button type="submit" className="btn btn--small">{t('records.devices.applyMode')}</button>
          </form>
          <div className="button-row">
            <button type="button" className="btn btn--small" onClick={() => void change.run(() => recordsApi.editDevice(person.id, device.id, { armed: !device.armed }), t(device.armed ? 'records.devices.disarmedDone' : 'records.devices.armedDone', { device: label }))}>
              {t(device.armed ? 'records.devices.disarm' : 'records.devices.arm', { device: label })}
            </button>
            {role === 'supervisor' && <button type="button" className="btn btn--small" onClick={() => void issue()}>{t('records.devices.issueKey', { device: label })}</button>}
            <button type="button" className="btn btn--small" onClick={retire} onBlur={() => setConfirming(false)}>
              {confirming ? t('records.devices.confirmRetire', { device: label }) : t('records.devices.retire', { device: label })}
            </button>
          </div>
        </>
      )}
      {key && (
        <div role="status">
          <p>{t('records.devices.keyOnce')}</p>
          <p className="key-once">{key.key}</p>
        </div>
      )}
      {keyError && <ErrorNotice message={keyError} />}
    </li>
  );
}

const EMPTY: { kind: DeviceBody['kind']; serial: string; model: string; phone: string } = { kind: 'sos_pendant', serial: '', model: '', phone: '' };

/**
 * 远程监护 devices on the person page: register (serial, model, the SIM of a calling pendant), mode
 * 在家/外出/睡眠, arm/disarm, retire; the IVR's SOS list follows at once on the server.
 */
export function DevicesEditor({ person, onSaved }: { person: PersonDetail; onSaved: (p: PersonDetail) => void }) {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const change = useRecordChange(person.id, onSaved);
  const [f, setF] = useState(EMPTY);
  const serialRef = useRef<HTMLInputElement>(null);
  const errors = change.error ? fieldErrors(change.error.cause, t) : {};
  const register = async (e: FormEvent) => {
    e.preventDefault();
    if (change.busy) return;
    const body: DeviceBody = { kind: f.kind, serial: f.serial.trim(), ...(f.model.trim() ? { model: f.model.trim() } : {}), ...(f.phone.trim() ? { phone: f.phone.trim() } : {}) };
    if (await change.run(() => recordsApi.addDevice(person.id, body), t('records.devices.registered', { serial: body.serial }))) {
      setF(EMPTY);
      serialRef.current?.focus();
    }
  };
  return (
    <section className="block" aria-labelledby="devices-title">
      <h2 id="devices-title" tabIndex={-1}>{t('person.devices')}</h2>
      {person.devices.length === 0 && <EmptyState>{t('person.noDevices')}</EmptyState>}
      <ul className="card-list">
        {person.devices.map((d) => <DeviceItem key={d.id} person={person} device={d} change={change} />)}
      </ul>
      {change.error && <ErrorNotice message={change.error.message} />}
      {canEdit && (
        <form className="record-form" onSubmit={(e) => void register(e)} noValidate aria-label={t('records.devices.registerTitle')}>
          <SelectField label={t('records.devices.kind')} value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as DeviceBody['kind'] })}>
            {DEVICE_KINDS.map((k) => <option key={k} value={k}>{t(`deviceKind.${k}`)}</option>)}
          </SelectField>
          <TextField ref={serialRef} label={t('records.devices.serial')} value={f.serial} onChange={(e) => setF({ ...f, serial: e.target.value })} maxLength={64} required error={errors.serial} autoComplete="off" />
          <TextField label={t('records.devices.model')} value={f.model} onChange={(e) => setF({ ...f, model: e.target.value })} maxLength={64} error={errors.model} />
          <TextField label={t('records.devices.phone')} hint={t('records.devices.phoneHint')} value={f.phone} onChange={(e) => setF({ ...f, phone: e.target.value })} maxLength={30} inputMode="tel" error={errors.phone} />
          <div className="button-row">
            <button type="submit" className="btn" aria-disabled={change.busy || undefined}>{t('records.devices.register')}</button>
          </div>
        </form>
      )}
    </section>
  );
}

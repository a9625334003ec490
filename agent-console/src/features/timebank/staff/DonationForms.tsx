import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Donor, GiftBody, MoneyChannel } from '../../../api/timebank-wire';
import { ErrorNotice } from '../../../components/Feedback';
import { RadioGroup, SelectField, TextAreaField, TextField } from '../../../components/Field';
import { navigate } from '../../../app/router';
import { timebankApi } from '../timebank-api';
import { fenFromYuan } from '../timebank-format';
import { useAction, useDistricts } from '../timebank-ui';

type Act = ReturnType<typeof useAction>;
const CHANNELS: MoneyChannel[] = ['bank_transfer', 'wechat', 'alipay', 'cash', 'cheque'];
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** 登记捐赠人: a person or an organisation, with a phone (shown masked afterwards) and a contact. */
export function DonorForm({ act, onDone }: { act: Act; onDone: () => void }) {
  const { t } = useTranslation();
  const districts = useDistricts();
  const [f, setF] = useState({ kind: 'organisation' as 'person' | 'organisation', name: '', phone: '', contact: '', districtCode: '', note: '' });
  const labels = { name: t('timebank.donations.donorName'), phone: t('timebank.donations.phone'), contact: t('timebank.donations.contact'), districtCode: t('timebank.district'), note: t('timebank.note') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    const done = await act.run(() => timebankApi.createDonor({ kind: f.kind, name: f.name.trim(), districtCode: f.districtCode, phone: opt(f.phone), contact: opt(f.contact), note: opt(f.note) }),
      (d) => t('timebank.donations.donorAdded', { name: d.name }), labels);
    if (done) onDone();
  };
  const field = (key: 'name' | 'phone' | 'contact' | 'note') => ({ value: f[key], error: act.fields[key], onChange: (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value }) });
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.error && <ErrorNotice message={act.error} />}
      <RadioGroup legend={t('timebank.donations.donorKind')} name="tb-donor-kind" value={f.kind} required
        options={[{ value: 'organisation', label: t('timebank.donations.organisation') }, { value: 'person', label: t('timebank.donations.person') }]} onChange={(kind) => setF({ ...f, kind })} />
      <TextField label={labels.name} required {...field('name')} />
      <TextField label={labels.phone} inputMode="tel" {...field('phone')} />
      <TextField label={labels.contact} {...field('contact')} />
      <SelectField label={labels.districtCode} required value={f.districtCode} error={act.fields.districtCode} onChange={(e) => setF({ ...f, districtCode: e.target.value })}>
        <option value="">{t('timebank.join.pickDistrict')}</option>
        {districts.data?.items.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
      </SelectField>
      <TextAreaField label={labels.note} rows={2} {...field('note')} />
      <div className="dialog__actions"><button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.save')}</button></div>
    </form>
  );
}

interface ItemRow { name: string; quantity: string; unitValue: string }

/** 登记捐赠: goods (items with quantity and unit value) or money (amount, channel, receipt number). */
export function GiftForm({ act, donors, onDone }: { act: Act; donors: Donor[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState({ donorId: '', kind: 'goods' as 'goods' | 'money', receivedOn: today(), amount: '', channel: 'bank_transfer' as MoneyChannel, receiptNo: '', note: '' });
  const [items, setItems] = useState<ItemRow[]>([{ name: '', quantity: '1', unitValue: '' }]);
  const labels = { donorId: t('timebank.donations.donor'), receivedOn: t('timebank.donations.receivedOn'), items: t('timebank.donations.items'), amountFen: t('timebank.donations.amount'), channel: t('timebank.donations.channel'), receiptNo: t('timebank.donations.receiptNo'), note: t('timebank.note') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const note = f.note.trim() ? { note: f.note.trim() } : {};
    const body: GiftBody = f.kind === 'goods'
      ? { donorId: f.donorId, kind: 'goods', receivedOn: f.receivedOn, items: items.map((i) => ({ name: i.name.trim(), quantity: Number(i.quantity), unitValueFen: fenFromYuan(i.unitValue) ?? -1 })), ...note }
      : { donorId: f.donorId, kind: 'money', receivedOn: f.receivedOn, amountFen: fenFromYuan(f.amount) ?? -1, channel: f.channel, receiptNo: f.receiptNo.trim(), ...note };
    const made = await act.run(() => timebankApi.createGift(body), () => t('timebank.donations.giftAdded'), labels);
    if (made) {
      onDone();
      void navigate(`/timebank/donations/gifts/${made.gift.id}`);
    }
  };
  const setItem = (i: number, patch: Partial<ItemRow>) => setItems(items.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.error && <ErrorNotice message={act.error} />}
      <SelectField label={labels.donorId} required value={f.donorId} error={act.fields.donorId} onChange={(e) => setF({ ...f, donorId: e.target.value })}>
        <option value="">{t('timebank.donations.pickDonor')}</option>
        {donors.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
      </SelectField>
      <RadioGroup legend={t('timebank.donations.giftKind')} name="tb-gift-kind" value={f.kind} required
        options={[{ value: 'goods', label: t('timebank.donations.goods') }, { value: 'money', label: t('timebank.donations.money') }]} onChange={(kind) => setF({ ...f, kind })} />
      <TextField label={labels.receivedOn} required type="date" value={f.receivedOn} error={act.fields.receivedOn} onChange={(e) => setF({ ...f, receivedOn: e.target.value })} />
      {f.kind === 'goods' ? (
        <fieldset className="field">
          <legend className="field__label">{labels.items}</legend>
          {items.map((row, i) => (
            <div className="inline-form" key={i}>
              <TextField label={`${t('timebank.donations.itemName')} ${i + 1}`} required value={row.name} error={act.fields[`items.${i}.name`]} onChange={(e) => setItem(i, { name: e.target.value })} />
              <TextField label={t('timebank.donations.quantity')} required inputMode="numeric" value={row.quantity} error={act.fields[`items.${i}.quantity`]} onChange={(e) => setItem(i, { quantity: e.target.value })} />
              <TextField label={t('timebank.donations.unitValue')} required inputMode="decimal" value={row.unitValue} error={act.fields[`items.${i}.unitValueFen`]} onChange={(e) => setItem(i, { unitValue: e.target.value })} />
              {items.length > 1 && <button type="button" className="btn btn--small" onClick={() => setItems(items.filter((_, j) => j !== i))}>{t('timebank.donations.removeItem')}</button>}
            </div>
          ))}
          <button type="button" className="btn btn--small" onClick={() => setItems([...items, { name: '', quantity: '1', unitValue: '' }])}>{t('timebank.donations.addItem')}</button>
        </fieldset>
      ) : (
        <>
          <TextField label={labels.amountFen} required inputMode="decimal" value={f.amount} error={act.fields.amountFen} onChange={(e) => setF({ ...f, amount: e.target.value })} />
          <SelectField label={labels.channel} required value={f.channel} onChange={(e) => setF({ ...f, channel: e.target.value as MoneyChannel })}>
            {CHANNELS.map((c) => <option key={c} value={c}>{t(`timebank.channel.${c}`)}</option>)}
          </SelectField>
          <TextField label={labels.receiptNo} required value={f.receiptNo} error={act.fields.receiptNo} onChange={(e) => setF({ ...f, receiptNo: e.target.value })} />
        </>
      )}
      <TextAreaField label={labels.note} rows={2} value={f.note} onChange={(e) => setF({ ...f, note: e.target.value })} />
      <div className="dialog__actions"><button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.save')}</button></div>
    </form>
  );
}

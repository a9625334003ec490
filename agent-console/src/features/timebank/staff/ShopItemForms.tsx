import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShopItem } from '../../../api/timebank-wire';
import { SERVICE_TYPES } from '../../../api/wire';
import { ErrorNotice } from '../../../components/Feedback';
import { RadioGroup, SelectField, TextAreaField, TextField } from '../../../components/Field';
import { timebankApi } from '../timebank-api';
import { unitsFromCoins } from '../timebank-format';
import { useDialogFocus, type useAction } from '../timebank-ui';

type Act = ReturnType<typeof useAction>;

/** 添加商品或服务 (supervisors): goods with a stock, or a life service that opens a work order when redeemed. */
export function ItemForm({ act, onDone }: { act: Act; onDone: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState({ kind: 'goods' as 'goods' | 'service', name: '', description: '', price: '', stock: '0', serviceType: '' });
  const [priceError, setPriceError] = useState<string | null>(null);
  const labels = { name: t('timebank.shop.name'), description: t('timebank.shop.description'), priceUnits: t('timebank.shop.price'), stock: t('timebank.shop.stock'), serviceType: t('timebank.shop.serviceType') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const priceUnits = unitsFromCoins(f.price);
    setPriceError(priceUnits === null ? t('errors.field.invalid') : null);
    if (priceUnits === null) return;
    const done = await act.run(() => timebankApi.createItem({
      kind: f.kind, name: f.name.trim(), priceUnits, ...(f.description.trim() ? { description: f.description.trim() } : {}),
      ...(f.kind === 'goods' ? { stock: Number(f.stock) } : { serviceType: f.serviceType }),
    }), (item) => t('timebank.shop.added', { name: item.name }), labels);
    if (done) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.error && <ErrorNotice message={act.error} />}
      <RadioGroup legend={t('timebank.shop.kind')} name="tb-item-kind" value={f.kind} required
        options={[{ value: 'goods', label: t('timebank.shop.goods') }, { value: 'service', label: t('timebank.shop.service') }]} onChange={(kind) => setF({ ...f, kind })} />
      <TextField label={labels.name} required value={f.name} error={act.fields.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
      <TextAreaField label={labels.description} rows={2} value={f.description} error={act.fields.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      <TextField label={labels.priceUnits} required inputMode="decimal" value={f.price} error={priceError ?? act.fields.priceUnits} onChange={(e) => setF({ ...f, price: e.target.value })} />
      {f.kind === 'goods'
        ? <TextField label={labels.stock} required inputMode="numeric" value={f.stock} error={act.fields.stock} onChange={(e) => setF({ ...f, stock: e.target.value })} />
        : (
          <SelectField label={labels.serviceType} required value={f.serviceType} error={act.fields.serviceType} onChange={(e) => setF({ ...f, serviceType: e.target.value })}>
            <option value="">—</option>
            {SERVICE_TYPES.map((s) => <option key={s} value={s}>{t(`serviceType.${s}`)}</option>)}
          </SelectField>
        )}
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.save')}</button>
      </div>
    </form>
  );
}

/** 补充库存: add pieces to a goods item's stock. */
export function StockForm({ item, act, onDone }: { item: ShopItem; act: Act; onDone: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const first = useDialogFocus<HTMLInputElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await act.run(() => timebankApi.updateItem(item.id, { addStock: Number(amount) }), (updated) => t('timebank.shop.stockAdded', { name: updated.name, stock: updated.stock ?? 0 }), { addStock: t('timebank.shop.addStockAmount') });
    if (done) onDone();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.error && <ErrorNotice message={act.error} />}
      <TextField label={t('timebank.shop.addStockAmount')} required inputMode="numeric" value={amount} error={act.fields.addStock} onChange={(e) => setAmount(e.target.value)} ref={first}
        hint={`${t('timebank.shop.stock')}：${item.stock ?? 0}`} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{t('timebank.shop.addStock')}</button>
      </div>
    </form>
  );
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../app/format';
import { ErrorNotice } from '../../../components/Feedback';
import { CheckboxField, SelectField, TextField } from '../../../components/Field';
import { campaignApi, type Campaign, type CohortFilters, type RiskTier } from './campaign-api';
import { emptyQuestion, questionsOf, QuestionsEditor, type DraftQuestion } from './QuestionsEditor';

const TIERS: RiskTier[] = ['high', 'key', 'general'];
const CATEGORIES = [1, 2, 3, 4, 5, 6, 7];
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const tri = (v: string): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined);
const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

/** Create a campaign: cohort filters with the live count (debounced), schedule, questionnaire. */
export function CampaignForm({ defaultDistrict, onCreated }: { defaultDistrict: string; onCreated: (c: Campaign) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [district, setDistrict] = useState(defaultDistrict);
  const [repeat, setRepeat] = useState<Campaign['repeat']>('once');
  const [startDay, setStartDay] = useState(today());
  const [endDay, setEndDay] = useState(today());
  const [tiers, setTiers] = useState<RiskTier[]>([]);
  const [categories, setCategories] = useState<number[]>([]);
  const [alone, setAlone] = useState('any');
  const [sos, setSos] = useState('any');
  const [ageMin, setAgeMin] = useState('');
  const [ageMax, setAgeMax] = useState('');
  const [lastContact, setLastContact] = useState('');
  const [drafts, setDrafts] = useState<DraftQuestion[]>([emptyQuestion()]);
  const [count, setCount] = useState<{ count: number; sample: Array<{ name: string; riskTier: string }> } | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submitRef = useRef<HTMLButtonElement>(null);

  const filters: CohortFilters = {
    ...(tiers.length ? { riskTiers: tiers } : {}),
    ...(categories.length ? { disabilityCategories: categories } : {}),
    ...(tri(alone) !== undefined ? { livingAlone: tri(alone) } : {}),
    ...(tri(sos) !== undefined ? { hasSosDevice: tri(sos) } : {}),
    ...(num(ageMin) !== undefined ? { ageMin: num(ageMin) } : {}),
    ...(num(ageMax) !== undefined ? { ageMax: num(ageMax) } : {}),
    ...(num(lastContact) !== undefined ? { lastContactOlderThanDays: num(lastContact) } : {}),
  };
  const key = JSON.stringify([district, filters]);
  useEffect(() => {
    setCount(null);
    setCountError(null);
    const timer = setTimeout(() => {
      campaignApi.preview(district, filters).then(setCount, (err) => setCountError(errorText(t, err)));
    }, 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const toggle = <V,>(list: V[], v: V, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const questions = questionsOf(drafts);
    if (!questions) {
      setProblem(t('campaigns.needQuestion'));
      submitRef.current?.focus();
      return;
    }
    setSaving(true);
    try {
      const created = await campaignApi.create({ name: name.trim(), districtCode: district.trim(), filters, repeat, startDay, endDay, questions });
      setName('');
      setDrafts([emptyQuestion()]);
      onCreated(created);
    } catch (err) {
      setProblem(errorText(t, err));
      submitRef.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel" aria-labelledby="campaign-create-heading" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="campaign-create-heading">{t('campaigns.createTitle')}</h2>
      <TextField label={t('campaigns.name')} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
      <TextField label={t('campaigns.district')} hint={t('campaigns.districtHint')} value={district} inputMode="numeric" maxLength={12} required onChange={(e) => setDistrict(e.target.value)} />
      <SelectField label={t('campaigns.repeatLabel')} value={repeat} onChange={(e) => setRepeat(e.target.value as Campaign['repeat'])}>
        {(['once', 'weekly', 'monthly'] as const).map((r) => <option key={r} value={r}>{t(`campaigns.repeat.${r}`)}</option>)}
      </SelectField>
      <TextField type="date" label={t('campaigns.startDay')} value={startDay} required onChange={(e) => setStartDay(e.target.value)} />
      <TextField type="date" label={t('campaigns.endDay')} value={endDay} required onChange={(e) => setEndDay(e.target.value)} />
      <fieldset>
        <legend>{t('campaigns.filtersTitle')}</legend>
        <fieldset className="field">
          <legend>{t('campaigns.riskTiers')}</legend>
          {TIERS.map((tier) => <CheckboxField key={tier} label={t(`campaigns.tier.${tier}`)} checked={tiers.includes(tier)} onChange={(e) => setTiers(toggle(tiers, tier, e.target.checked))} />)}
        </fieldset>
        <fieldset className="field">
          <legend>{t('campaigns.categories')}</legend>
          {CATEGORIES.map((c) => <CheckboxField key={c} label={t(`campaigns.category.${c}`)} checked={categories.includes(c)} onChange={(e) => setCategories(toggle(categories, c, e.target.checked))} />)}
        </fieldset>
        <SelectField label={t('campaigns.livingAlone')} value={alone} onChange={(e) => setAlone(e.target.value)}>
          {['any', 'yes', 'no'].map((v) => <option key={v} value={v}>{t(`campaigns.${v}`)}</option>)}
        </SelectField>
        <SelectField label={t('campaigns.hasSos')} value={sos} onChange={(e) => setSos(e.target.value)}>
          {['any', 'yes', 'no'].map((v) => <option key={v} value={v}>{t(`campaigns.${v}`)}</option>)}
        </SelectField>
        <TextField type="number" min={0} max={130} label={t('campaigns.ageMin')} value={ageMin} onChange={(e) => setAgeMin(e.target.value)} />
        <TextField type="number" min={0} max={130} label={t('campaigns.ageMax')} value={ageMax} onChange={(e) => setAgeMax(e.target.value)} />
        <TextField type="number" min={1} max={3650} label={t('campaigns.lastContact')} value={lastContact} onChange={(e) => setLastContact(e.target.value)} />
        <p role="status" aria-live="polite" className="cohort-count">
          {count ? t('campaigns.count', { count: count.count }) : countError ? '' : t('campaigns.counting')}
        </p>
        {countError && <ErrorNotice message={countError} />}
        {count && count.sample.length > 0 && (
          <p>{t('campaigns.sample')}：{count.sample.map((s) => `${s.name}（${t(`campaigns.tier.${s.riskTier}`)}）`).join('、')}</p>
        )}
      </fieldset>
      <QuestionsEditor drafts={drafts} onChange={setDrafts} />
      {problem && <ErrorNotice message={problem} />}
      <p className="actions"><button ref={submitRef} type="submit" className="btn btn--primary" disabled={saving}>{t('campaigns.create')}</button></p>
    </form>
  );
}

import { useTranslation } from 'react-i18next';
import { CheckboxField, SelectField, TextField } from '../../../components/Field';
import { QUESTION_TYPES, type Question, type QuestionType } from './campaign-api';

/** A question being edited: choice options as one comma-separated text. */
export interface DraftQuestion {
  type: QuestionType;
  label: string;
  options: string;
  required: boolean;
}

export const emptyQuestion = (): DraftQuestion => ({ type: 'single', label: '', options: '', required: true });

export function draftOf(q: Question): DraftQuestion {
  return { type: q.type, label: q.label, options: (q.options ?? []).join('，'), required: q.required };
}

/** The questions to send (ids q1, q2 … by position), or null when one is incomplete. */
export function questionsOf(drafts: DraftQuestion[]): Question[] | null {
  const out: Question[] = [];
  for (const [i, d] of drafts.entries()) {
    const label = d.label.trim();
    if (!label) return null;
    const q: Question = { id: `q${i + 1}`, type: d.type, label, required: d.required };
    if (d.type === 'single' || d.type === 'multiple') {
      const options = [...new Set(d.options.split(/[,，、]/).map((o) => o.trim()).filter(Boolean))];
      if (options.length < 2) return null;
      q.options = options;
    }
    if (d.type === 'scale') Object.assign(q, { min: 1, max: 5 });
    out.push(q);
  }
  return out.length ? out : null;
}

/** The questionnaire editor: typed questions, each with labelled fields; add and remove keep the focus near. */
export function QuestionsEditor({ drafts, onChange }: { drafts: DraftQuestion[]; onChange: (d: DraftQuestion[]) => void }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<DraftQuestion>) => onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const remove = (i: number) => {
    onChange(drafts.filter((_, j) => j !== i));
    requestAnimationFrame(() => document.getElementById('add-question')?.focus());
  };
  const add = () => {
    onChange([...drafts, emptyQuestion()]);
    requestAnimationFrame(() => document.getElementById(`question-label-${drafts.length}`)?.focus());
  };
  return (
    <fieldset>
      <legend>{t('campaigns.questionsTitle')}</legend>
      {drafts.map((d, i) => (
        <fieldset key={i} className="panel">
          <legend>{t('campaigns.question', { n: i + 1 })}</legend>
          <TextField id={`question-label-${i}`} label={t('campaigns.questionLabel', { n: i + 1 })} value={d.label} maxLength={200} required onChange={(e) => set(i, { label: e.target.value })} />
          <SelectField label={t('campaigns.questionType', { n: i + 1 })} value={d.type} onChange={(e) => set(i, { type: e.target.value as QuestionType })}>
            {QUESTION_TYPES.map((ty) => <option key={ty} value={ty}>{t(`campaigns.type.${ty}`)}</option>)}
          </SelectField>
          {(d.type === 'single' || d.type === 'multiple') && <TextField label={t('campaigns.questionOptions', { n: i + 1 })} value={d.options} maxLength={500} onChange={(e) => set(i, { options: e.target.value })} />}
          <CheckboxField label={t('campaigns.questionRequired', { n: i + 1 })} checked={d.required} onChange={(e) => set(i, { required: e.target.checked })} />
          <button type="button" className="btn btn--small" onClick={() => remove(i)}>{t('campaigns.removeQuestion', { n: i + 1 })}</button>
        </fieldset>
      ))}
      <p><button id="add-question" type="button" className="btn" onClick={add}>{t('campaigns.addQuestion')}</button></p>
    </fieldset>
  );
}

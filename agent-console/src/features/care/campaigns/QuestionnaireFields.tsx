import { useTranslation } from 'react-i18next';
import { CheckboxField, RadioGroup, TextAreaField } from '../../../components/Field';
import type { Answers, Question, TaskQuestionnaire } from './campaign-api';

/**
 * A campaign's questionnaire beside the call: each typed question as labelled native fields (radio groups,
 * checkboxes, a scale as radios, yes/no, free text), so it is worked with the keyboard alone.
 */
export function QuestionnaireFields({ questionnaire, answers, onChange }: { questionnaire: TaskQuestionnaire; answers: Answers; onChange: (a: Answers) => void }) {
  const { t } = useTranslation();
  const set = (q: Question, v: Answers[string] | undefined) => {
    const next = { ...answers };
    if (v === undefined) delete next[q.id];
    else next[q.id] = v;
    onChange(next);
  };
  return (
    <fieldset className="questionnaire">
      <legend>{t('campaigns.questionnaireOf', { name: questionnaire.campaignName, version: questionnaire.version })}</legend>
      {questionnaire.questions.map((q) => {
        const legend = q.required ? q.label : `${q.label}（${t('campaigns.optional')}）`;
        const name = `q-${q.id}`;
        switch (q.type) {
          case 'single':
            return <RadioGroup key={q.id} legend={legend} name={name} value={(answers[q.id] as string) ?? ''} options={(q.options ?? []).map((o) => ({ value: o, label: o }))} onChange={(v) => set(q, v)} required={q.required} />;
          case 'yes_no': {
            const v = answers[q.id] === true ? 'yes' : answers[q.id] === false ? 'no' : '';
            return <RadioGroup key={q.id} legend={legend} name={name} value={v} options={[{ value: 'yes', label: t('care.yes') }, { value: 'no', label: t('care.no') }]} onChange={(x) => set(q, x === 'yes')} required={q.required} />;
          }
          case 'scale': {
            const min = q.min ?? 1;
            const max = q.max ?? 5;
            const opts = Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
            return <RadioGroup key={q.id} legend={legend} name={name} value={answers[q.id] !== undefined ? String(answers[q.id]) : ''} options={opts.map((o) => ({ value: o, label: o }))} onChange={(v) => set(q, Number(v))} required={q.required} />;
          }
          case 'multiple': {
            const chosen = (answers[q.id] as string[] | undefined) ?? [];
            return (
              <fieldset key={q.id} className="field">
                <legend>{legend}</legend>
                {(q.options ?? []).map((o) => (
                  <CheckboxField key={o} label={o} checked={chosen.includes(o)} onChange={(e) => { const next = e.target.checked ? [...chosen, o] : chosen.filter((x) => x !== o); set(q, next.length ? next : undefined); }} />
                ))}
              </fieldset>
            );
          }
          case 'text':
            return <TextAreaField key={q.id} label={legend} value={(answers[q.id] as string) ?? ''} maxLength={1000} required={q.required} onChange={(e) => set(q, e.target.value ? e.target.value : undefined)} />;
        }
      })}
    </fieldset>
  );
}

/** The first required question left unanswered (its label), or null. */
export function missingAnswer(questionnaire: TaskQuestionnaire, answers: Answers): string | null {
  const q = questionnaire.questions.find((x) => x.required && (answers[x.id] === undefined || answers[x.id] === ''));
  return q ? q.label : null;
}

import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Statement, StatementLine } from '../../api/timebank-wire';
import { formatDateTime } from '../../app/format';
import { EmptyState } from '../../components/Feedback';
import { Coins } from './timebank-ui';

/** The years a statement can be asked for: this one and the four before it (Asia/Shanghai calendar). */
export function recentYears(now = new Date()): number[] {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
  return [0, 1, 2, 3, 4].map((n) => year - n);
}

/** A year picker (a native select: arrow keys change it). */
export function YearSelect({ value, onChange, id }: { value: number; onChange: (year: number) => void; id: string }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">{t('timebank.statement.pickYear')}</label>
      <select id={id} className="field__control" value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {recentYears().map((y) => <option key={y} value={y}>{y}</option>)}
      </select>
    </div>
  );
}

/** The year summary as a description list: opening + issued − redeemed − expired + transfers = closing. */
export function YearSummaryFigures({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const s = statement.summary;
  const figures: [string, number][] = [
    ['opening', s.opening], ['issued', s.issued], ['redeemed', s.redeemed], ['expired', s.expired], ['transfersNet', s.transfersNet], ['closing', s.closing],
  ];
  return (
    <section aria-labelledby="tb-summary-heading">
      <h2 id="tb-summary-heading">{t('timebank.statement.yearSummary', { year: s.year })}</h2>
      <dl className="tb-figures">
        {figures.map(([key, units]) => (
          <div key={key}>
            <dt>{t(`timebank.statement.${key}`)}</dt>
            <dd><Coins units={units} /></dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** What a line is: the reference or note the server gave (a transfer's `relation:<关系>` in words). */
function memo(line: StatementLine, t: TFunction): string {
  const relation = line.kind === 'transfer' && line.reference?.startsWith('relation:') ? line.reference.slice('relation:'.length) : null;
  const reference = relation ? t('timebank.statement.relationMemo', { relation: t(`timebank.relationName.${relation}`, { defaultValue: relation }) }) : line.reference;
  return [reference, line.note].filter(Boolean).join(' · ');
}

/**
 * The statement's lines, newest first, with the signed change and the balance after each. `extra` adds a
 * column (e.g. the staff's 冲正 request button).
 */
export function StatementTable({ statement, extra }: { statement: Statement; extra?: { header: string; cell: (line: StatementLine) => React.ReactNode } }) {
  const { t, i18n } = useTranslation();
  if (statement.lines.length === 0) return <EmptyState>{t('timebank.statement.empty')}</EmptyState>;
  const caption = t('timebank.statement.entriesCaption', { count: statement.total });
  // On a phone the table scrolls sideways: the region takes focus so the keyboard can scroll it too.
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('timebank.statement.when')}</th>
            <th scope="col">{t('timebank.statement.kind')}</th>
            <th scope="col">{t('timebank.statement.memo')}</th>
            <th scope="col" className="tb-num">{t('timebank.statement.amount')}</th>
            <th scope="col" className="tb-num">{t('timebank.statement.runningBalance')}</th>
            {extra && <th scope="col">{extra.header}</th>}
          </tr>
        </thead>
        <tbody>
          {statement.lines.map((line) => (
            <tr key={`${line.transactionId}:${line.units}`}>
              <td>{formatDateTime(line.at, i18n.language)}</td>
              <th scope="row">{t(`timebank.kind.${line.kind}`, { defaultValue: line.kind })}</th>
              <td>{memo(line, t) || '—'}</td>
              <td className={`tb-num ${line.units >= 0 ? 'tb-in' : 'tb-out'}`}>
                <span aria-hidden="true">{line.units >= 0 ? '▲ ' : '▼ '}</span><Coins units={line.units} signed />
              </td>
              <td className="tb-num"><Coins units={line.balance} /></td>
              {extra && <td>{extra.cell(line)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

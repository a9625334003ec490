import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { download, qs, request, sendFile } from '../../api/http';
import { api } from '../../api/endpoints';
import type { RegisterImportView } from '../../api/wire';
import { errorText, formatDateTime } from '../../app/format';
import { useUser } from '../../app/routes';
import { EmptyState, ErrorNotice } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const OPEN = new Set(['queued', 'checking', 'applying']);

const registerApi = {
  upload: (file: File, mode: 'dry-run' | 'commit') =>
    sendFile<RegisterImportView>(`/api/register/imports${qs({ mode, fileName: file.name.slice(0, 200) })}`, file, /\.xlsx$/i.test(file.name) ? XLSX_TYPE : 'text/csv'),
  job: (id: string) => request<RegisterImportView>('GET', `/api/register/imports/${encodeURIComponent(id)}`),
  jobs: () => request<{ items: RegisterImportView[] }>('GET', '/api/register/imports'),
};

/**
 * Loading and exporting the persons register: upload a CSV/XLSX for a check or a real import, follow its
 * progress, read its row errors; supervisors also export a district's register (audited per person).
 */
export function RegisterPage() {
  const { t } = useTranslation();
  const user = useUser();
  return (
    <div>
      <PageHeading>{t('register.title')}</PageHeading>
      <ImportSection />
      {user.role === 'supervisor' && <ExportSection />}
    </div>
  );
}

function ImportSection() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<'dry-run' | 'commit'>('dry-run');
  const [fileError, setFileError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const modeName = useId();

  const upload = useMutation({
    mutationFn: ({ file, mode }: { file: File; mode: 'dry-run' | 'commit' }) => registerApi.upload(file, mode),
    onSuccess: (job) => {
      setJobId(job.id);
      client.setQueryData(['register', 'import', job.id], job);
      void client.invalidateQueries({ queryKey: ['register', 'imports'] });
      announce(t('register.job', { file: job.fileName }));
    },
  });
  const job = useQuery({
    queryKey: ['register', 'import', jobId],
    queryFn: () => registerApi.job(jobId!),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && OPEN.has(q.state.data.status) ? 1000 : false),
  });
  const jobs = useQuery({ queryKey: ['register', 'imports', job.data?.status], queryFn: registerApi.jobs });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError(t('register.noFile'));
      fileRef.current?.focus();
      return;
    }
    setFileError(null);
    upload.mutate({ file, mode });
  };

  const current = job.data;
  const done = current && !OPEN.has(current.status);
  return (
    <section aria-labelledby="register-import" className="panel">
      <h2 id="register-import" className="panel__title">{t('register.importHeading')}</h2>
      <p>{t('register.importHint')}</p>
      <p><a href="/api/register/template.csv" download>{t('register.template')}</a></p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="register-file" className="field__label">{t('register.file')}</label>
          <input id="register-file" ref={fileRef} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-invalid={fileError ? true : undefined} aria-describedby={fileError ? 'register-file-error' : undefined} />
          {fileError && <p id="register-file-error" className="field__error" role="alert">{fileError}</p>}
        </div>
        <fieldset className="radio-group">
          <legend className="field__label">{t('register.mode')}</legend>
          <div className="radio-group__options">
            <label className="radio"><input type="radio" name={modeName} value="dry-run" checked={mode === 'dry-run'} onChange={() => setMode('dry-run')} /><span>{t('register.dryRun')}</span></label>
            <label className="radio"><input type="radio" name={modeName} value="commit" checked={mode === 'commit'} onChange={() => setMode('commit')} /><span>{t('register.commit')}</span></label>
          </div>
        </fieldset>
        <button type="submit" className="btn btn--primary" disabled={upload.isPending}>{upload.isPending ? t('register.uploading') : t('register.upload')}</button>
      </form>
      {upload.isError && <ErrorNotice message={errorText(t, upload.error)} />}

      {current && (
        <div ref={resultRef} className="register-job" aria-live="polite" aria-busy={!done}>
          <h3>{t('register.job', { file: current.fileName })} · {t(`register.status.${current.status}`)}</h3>
          <p>{t('register.progress', { rows: current.rowsRead, valid: current.rowsValid, errors: current.errorCount })}</p>
          {!done && <progress aria-label={t(`register.status.${current.status}`)} />}
          {current.outcome === 'checked' && <p className="feedback feedback--success" role="status">{t('register.outcome.checked', { count: current.rowsValid })}</p>}
          {current.outcome === 'imported' && <p className="feedback feedback--success" role="status">{t('register.outcome.imported', { count: current.personsWritten })}</p>}
          {current.outcome === 'rejected' && <p className="notice notice--warn" role="alert">{t('register.outcome.rejected', { count: current.errorCount })}</p>}
          {current.status === 'failed' && <p className="notice notice--warn" role="alert">{t('register.failed', { reason: current.failure ?? '' })}</p>}
          {current.errors.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <caption>{t('register.errorsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('register.row')}</th>
                    <th scope="col">{t('register.field')}</th>
                    <th scope="col">{t('register.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {current.errors.map((e, i) => (
                    <tr key={`${e.row}-${e.field}-${i}`}>
                      <th scope="row">{e.row}</th>
                      <td>{e.field ? t(`register.fields.${e.field}`, { defaultValue: e.field }) : t('register.wholeRow')}</td>
                      <td>{t(`register.codes.${e.code}`, { defaultValue: e.code })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}

      <h3>{t('register.history')}</h3>
      {jobs.isError && <ErrorNotice message={errorText(t, jobs.error)} onRetry={() => void jobs.refetch()} />}
      {jobs.data && jobs.data.items.length === 0 && <EmptyState>{t('register.historyEmpty')}</EmptyState>}
      {jobs.data && jobs.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('register.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('register.when')}</th>
                <th scope="col">{t('register.file')}</th>
                <th scope="col">{t('register.mode')}</th>
                <th scope="col">{t('register.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((j) => (
                <tr key={j.id}>
                  <th scope="row">{formatDateTime(j.createdAt, i18n.language)}</th>
                  <td>{j.fileName}</td>
                  <td>{j.mode === 'commit' ? t('register.commit') : t('register.dryRun')}</td>
                  <td>
                    {t(`register.status.${j.status}`)}
                    {j.outcome && ` · ${t(`register.outcome.${j.outcome}`, { count: j.outcome === 'imported' ? j.personsWritten : j.outcome === 'checked' ? j.rowsValid : j.errorCount })}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ExportSection() {
  const { t } = useTranslation();
  const districts = useQuery({ queryKey: ['districts'], queryFn: api.districts, staleTime: 5 * 60_000 });
  const [district, setDistrict] = useState('');
  const [purpose, setPurpose] = useState('');
  const exporter = useMutation({
    mutationFn: async () => {
      const blob = await download(`/api/register/export.xlsx${qs({ district, purpose: purpose.trim() })}`);
      const name = `register-${district}.xlsx`;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return name;
    },
    onSuccess: (name) => announce(t('register.exported', { file: name })),
  });
  const choices = (districts.data?.items ?? []).filter((d) => d.level !== 'community');
  return (
    <section aria-labelledby="register-export" className="panel">
      <h2 id="register-export" className="panel__title">{t('register.exportHeading')}</h2>
      <p>{t('register.exportHint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          exporter.mutate();
        }}
      >
        <SelectField label={t('register.district')} value={district} onChange={(e) => setDistrict(e.target.value)} required>
          <option value="" />
          {choices.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
        </SelectField>
        <TextField label={t('register.purpose')} value={purpose} onChange={(e) => setPurpose(e.target.value)} maxLength={200} required />
        <button type="submit" className="btn" disabled={exporter.isPending}>{exporter.isPending ? t('register.exporting') : t('register.export')}</button>
      </form>
      {exporter.isError && <ErrorNotice message={errorText(t, exporter.error)} />}
      {exporter.isSuccess && <p role="status" className="feedback feedback--success">{t('register.exported', { file: exporter.data })}</p>}
    </section>
  );
}

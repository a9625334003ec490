import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/http';
import { errorText } from '../../app/format';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';
import { districtsApi, type AdminDistrict, type DistrictRowError } from './districts-api';

/**
 * District administration (admin): the 区 → 街镇 → 村居 tree with rename and retire on each district, and
 * the CSV import with its row errors translated. Nothing is ever deleted: retired districts stay in the tree,
 * marked, when asked for.
 */
export function DistrictsPage() {
  const { t } = useTranslation();
  return (
    <div>
      <PageHeading>{t('districtAdmin.title')}</PageHeading>
      <ImportSection />
      <TreeSection />
    </div>
  );
}

function ImportSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => districtsApi.importCsv(file),
    onSuccess: (r) => {
      announce(t('districtAdmin.imported', { count: r.created }));
      void client.invalidateQueries({ queryKey: ['districts'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError(t('districtAdmin.noFile'));
      fileRef.current?.focus();
      return;
    }
    setFileError(null);
    if (!upload.isPending) upload.mutate(file);
  };
  const rowErrors = upload.error instanceof ApiError && upload.error.code === 'district/import-invalid' ? ((upload.error.details as { errors?: DistrictRowError[] } | undefined)?.errors ?? []) : [];
  const total = upload.error instanceof ApiError ? ((upload.error.details as { total?: number } | undefined)?.total ?? rowErrors.length) : 0;
  return (
    <section aria-labelledby="district-import" className="panel">
      <h2 id="district-import" className="panel__title">{t('districtAdmin.importHeading')}</h2>
      <p id="district-import-hint">{t('districtAdmin.importHint')}</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="district-file" className="field__label">{t('districtAdmin.file')}</label>
          <input id="district-file" ref={fileRef} type="file" accept=".csv,text/csv" aria-invalid={fileError ? true : undefined} aria-describedby={fileError ? 'district-file-error district-import-hint' : 'district-import-hint'} />
          {fileError && <p id="district-file-error" className="field__error" role="alert">{fileError}</p>}
        </div>
        <button type="submit" className="btn btn--primary" aria-disabled={upload.isPending || undefined}>{upload.isPending ? t('districtAdmin.uploading') : t('districtAdmin.upload')}</button>
      </form>
      {upload.isSuccess && <p className="feedback feedback--success" role="status">{t('districtAdmin.imported', { count: upload.data.created })}</p>}
      {upload.isError && rowErrors.length === 0 && <ErrorNotice message={errorText(t, upload.error)} />}
      {rowErrors.length > 0 && (
        <>
          <p className="notice notice--warn" role="alert">{t('districtAdmin.rejected', { count: total })}</p>
          <div className="table-wrap">
            <table className="table">
              <caption>{t('districtAdmin.errorsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('districtAdmin.line')}</th>
                  <th scope="col">{t('districtAdmin.code')}</th>
                  <th scope="col">{t('districtAdmin.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {rowErrors.map((e, i) => (
                  <tr key={`${e.line}-${e.code}-${i}`}>
                    <th scope="row">{e.line}</th>
                    <td>{e.districtCode ?? ''}</td>
                    <td>{t(`districtAdmin.rowErrors.${e.code}`, { defaultValue: e.code })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function TreeSection() {
  const { t } = useTranslation();
  const [showRetired, setShowRetired] = useState(false);
  const tree = useQuery({ queryKey: ['districts', 'admin', showRetired], queryFn: () => districtsApi.tree(showRetired) });
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A retired district leaves the tree (unless retired ones are shown): say so above it and focus its heading.
  const onRetired = (text: string) => {
    setNotice(text);
    requestAnimationFrame(() => headingRef.current?.focus());
  };
  const items = visible(tree.data?.items ?? [], filter.trim());
  const codes = new Set(items.map((d) => d.code));
  const roots = items.filter((d) => !d.parentCode || !codes.has(d.parentCode));
  // Children by parent code, once (a city's tree has thousands of districts).
  const children = new Map<string, AdminDistrict[]>();
  for (const d of items) {
    if (!d.parentCode) continue;
    const list = children.get(d.parentCode);
    if (list) list.push(d);
    else children.set(d.parentCode, [d]);
  }
  return (
    <section aria-labelledby="district-tree" className="panel">
      <h2 id="district-tree" ref={headingRef} tabIndex={-1} className="panel__title">{t('districtAdmin.treeHeading')}</h2>
      {notice && <p className="feedback feedback--success" role="status">{notice}</p>}
      <label className="field--check">
        <input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> {t('districtAdmin.showRetired')}
      </label>
      <TextField label={t('districtAdmin.filter')} hint={t('districtAdmin.filterHint')} value={filter} onChange={(e) => setFilter(e.target.value)} maxLength={100} type="search" />
      {tree.isPending && <Loading />}
      {tree.isError && <ErrorNotice message={errorText(t, tree.error)} onRetry={() => void tree.refetch()} />}
      {tree.isSuccess && items.length === 0 && <EmptyState>{filter.trim() ? t('districtAdmin.filterEmpty') : t('districtAdmin.treeEmpty')}</EmptyState>}
      {roots.length > 0 && (
        <ul className="district-tree">
          {roots.map((d) => <DistrictNode key={d.code} district={d} childrenOf={children} onRetired={onRetired} />)}
        </ul>
      )}
    </section>
  );
}

/** The districts whose code or name contains the text, with their ancestors (so each shows in its place). */
function visible(all: AdminDistrict[], text: string): AdminDistrict[] {
  if (!text) return all;
  const byCode = new Map(all.map((d) => [d.code, d]));
  const keep = new Set<string>();
  for (const d of all) {
    if (!d.code.includes(text) && !d.name.includes(text)) continue;
    for (let at: AdminDistrict | undefined = d; at && !keep.has(at.code); at = at.parentCode ? byCode.get(at.parentCode) : undefined) keep.add(at.code);
  }
  return all.filter((d) => keep.has(d.code));
}

function DistrictNode({ district, childrenOf, onRetired }: { district: AdminDistrict; childrenOf: ReadonlyMap<string, AdminDistrict[]>; onRetired: (text: string) => void }) {
  const children = childrenOf.get(district.code) ?? [];
  return (
    <li>
      <DistrictRow district={district} onRetired={onRetired} />
      {children.length > 0 && (
        <ul>
          {children.map((c) => <DistrictNode key={c.code} district={c} childrenOf={childrenOf} onRetired={onRetired} />)}
        </ul>
      )}
    </li>
  );
}

/** One district: its name, code and level, and its rename and retire controls; focus stays where the user acted. */
function DistrictRow({ district, onRetired }: { district: AdminDistrict; onRetired: (text: string) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [mode, setMode] = useState<'idle' | 'rename' | 'retire'>('idle');
  const [name, setName] = useState(district.name);
  const [message, setMessage] = useState<string | null>(null);
  const renameRef = useRef<HTMLButtonElement>(null);
  const retireRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (mode === 'rename') inputRef.current?.focus();
    if (mode === 'retire') confirmRef.current?.focus();
  }, [mode]);
  // The buttons come back when the form closes: focus them once they are there again.
  const focusLater = (ref: RefObject<HTMLButtonElement | null>) => requestAnimationFrame(() => ref.current?.focus());
  const done = (text: string, back: RefObject<HTMLButtonElement | null>) => {
    setMessage(text);
    announce(text);
    setMode('idle');
    void client.invalidateQueries({ queryKey: ['districts'] });
    focusLater(back);
  };
  const rename = useMutation({
    mutationFn: () => districtsApi.rename(district.code, name.trim()),
    onSuccess: (d) => done(t('districtAdmin.renamed', { name: d.name }), renameRef),
  });
  const retire = useMutation({
    mutationFn: () => districtsApi.retire(district.code),
    onSuccess: (r) => {
      const text = t('districtAdmin.retired', { name: district.name, count: r.retired });
      announce(text);
      onRetired(text);
      setMode('idle');
      void client.invalidateQueries({ queryKey: ['districts'] });
    },
  });
  const cancel = (back: RefObject<HTMLButtonElement | null>) => {
    setMode('idle');
    rename.reset();
    retire.reset();
    focusLater(back);
  };
  const failure = rename.error ?? retire.error;
  const retired = Boolean(district.retiredAt);
  const actionsLabel = t('districtAdmin.actionsFor', { name: district.name, code: district.code });
  return (
    <div className="district-row">
      <span className="district-row__name">{district.name}</span> <span className="district-row__code">{district.code}</span>{' '}
      <span className="chip">{t(`districtAdmin.level.${district.level}`)}</span>
      {retired && <span className="chip chip--muted"> {t('districtAdmin.retiredMark')}</span>}
      {!retired && mode === 'idle' && (
        <span className="button-row district-row__actions" role="group" aria-label={actionsLabel}>
          <button ref={renameRef} type="button" className="btn btn--small" aria-label={`${t('districtAdmin.rename')} ${district.name}`} onClick={() => { setName(district.name); setMessage(null); setMode('rename'); }}>{t('districtAdmin.rename')}</button>
          {district.level !== 'city' && <button ref={retireRef} type="button" className="btn btn--small" aria-label={`${t('districtAdmin.retire')} ${district.name}`} onClick={() => { setMessage(null); setMode('retire'); }}>{t('districtAdmin.retire')}</button>}
        </span>
      )}
      {mode === 'rename' && (
        <form className="button-row" onSubmit={(e) => { e.preventDefault(); if (!rename.isPending) rename.mutate(); }} onKeyDown={(e) => e.key === 'Escape' && cancel(renameRef)}>
          <label htmlFor={`rename-${district.code}`} className="visually-hidden">{t('districtAdmin.newName', { name: district.name })}</label>
          <input id={`rename-${district.code}`} ref={inputRef} className="field__control" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="btn btn--primary btn--small" aria-disabled={rename.isPending || undefined}>{t('districtAdmin.save')}</button>
          <button type="button" className="btn btn--small" onClick={() => cancel(renameRef)}>{t('districtAdmin.cancel')}</button>
        </form>
      )}
      {mode === 'retire' && (
        <div className="button-row" role="group" aria-label={t('districtAdmin.retireConfirm', { name: district.name })} onKeyDown={(e) => e.key === 'Escape' && cancel(retireRef)}>
          <span>{t('districtAdmin.retireConfirm', { name: district.name })}</span>
          <button ref={confirmRef} type="button" className="btn btn--stop btn--small" aria-disabled={retire.isPending || undefined} onClick={() => !retire.isPending && retire.mutate()}>{t('districtAdmin.confirmRetire')}</button>
          <button type="button" className="btn btn--small" onClick={() => cancel(retireRef)}>{t('districtAdmin.cancel')}</button>
        </div>
      )}
      {failure && <ErrorNotice message={retireFailure(t, failure)} />}
      {message && mode === 'idle' && <p className="feedback feedback--success" role="status">{message}</p>}
    </div>
  );
}

function retireFailure(t: ReturnType<typeof useTranslation>['t'], err: unknown): string {
  if (err instanceof ApiError && err.code === 'district/in-use') {
    const d = (err.details ?? {}) as { reason?: string; activePersons?: number; openOrders?: number; activeStaff?: number };
    if (d.reason === 'already-retired') return t('districtAdmin.alreadyRetired');
    if (d.reason === 'city') return t('districtAdmin.cityNotRetired');
    return t('districtAdmin.inUse', { persons: d.activePersons ?? 0, orders: d.openOrders ?? 0, staff: d.activeStaff ?? 0 });
  }
  return errorText(t, err);
}

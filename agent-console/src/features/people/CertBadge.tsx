import { useTranslation } from 'react-i18next';
import { certStatus, shanghaiToday } from './cert-status';

/** A certificate's validity as a badge: ✖ expired, ⚠ expiring within 30 days, ✔ valid (text plus a mark). */
export function CertBadge({ expiresOn, flags }: { expiresOn: string; flags?: { expired: boolean; expiringSoon: boolean } }) {
  const { t } = useTranslation();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn)) return null;
  const local = certStatus(expiresOn, shanghaiToday());
  const days = local.days;
  // The server's flags where it sent them (a stored certificate); the local reading for one being edited.
  const status = flags ? (flags.expired ? 'expired' : flags.expiringSoon ? 'expiring' : 'valid') : local.status;
  const mark = status === 'expired' ? '✖' : status === 'expiring' ? '⚠' : '✔';
  const text = status === 'expired' ? t('people.certExpired') : status === 'expiring' ? t('people.certExpiring', { days: Math.max(days, 0) }) : t('people.certValid');
  return (
    <span className={`badge badge--cert-${status}`} data-cert-status={status}>
      <span aria-hidden="true">{mark} </span>
      {text}
    </span>
  );
}

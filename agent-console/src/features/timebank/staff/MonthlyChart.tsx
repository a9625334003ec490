import { useTranslation } from 'react-i18next';
import type { LiabilityRow } from '../../../api/timebank-wire';
import { formatCoins } from '../timebank-format';

/**
 * Issued and redeemed coins per month (all districts), as paired bars: issued solid, redeemed striped, so
 * colour is not the only cue. Drawn in SVG (no chart library in the bundle); hidden from screen readers,
 * whose users read the table below with the same numbers.
 */
export function MonthlyChart({ rows }: { rows: LiabilityRow[] }) {
  const { t, i18n } = useTranslation();
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const sums = months.map((m) => rows.filter((r) => r.month === m).reduce((s, r) => ({ issued: s.issued + r.issued, redeemed: s.redeemed + r.redeemed }), { issued: 0, redeemed: 0 }));
  const max = Math.max(1, ...sums.flatMap((s) => [s.issued, s.redeemed]));
  const W = 720, H = 240, top = 20, bottom = 40, left = 56;
  const band = (W - left) / Math.max(1, months.length);
  const bar = Math.min(28, band / 3);
  const y = (units: number) => top + (H - top - bottom) * (1 - units / max);
  return (
    <figure className="tb-chart">
      <figcaption>
        <strong>{t('timebank.report.chart')}</strong> · {t('timebank.report.chartHint')}
        <ul className="tb-legend">
          <li><span className="tb-legend__swatch tb-legend__swatch--issued" />{t('timebank.report.issued')}</li>
          <li><span className="tb-legend__swatch tb-legend__swatch--redeemed" />{t('timebank.report.redeemed')}</li>
        </ul>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} aria-hidden="true" focusable="false">
        <defs>
          <pattern id="tb-stripes" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#fff" />
            <rect width="3" height="6" fill="#8a6100" />
          </pattern>
        </defs>
        <line x1={left} x2={W} y1={H - bottom} y2={H - bottom} stroke="#263445" />
        <text x={left - 6} y={top + 4} textAnchor="end" fontSize="11">{formatCoins(max, i18n.language)}</text>
        <text x={left - 6} y={H - bottom} textAnchor="end" fontSize="11">0</text>
        {months.map((m, i) => {
          const x = left + i * band + band / 2;
          const s = sums[i]!;
          return (
            <g key={m}>
              <rect x={x - bar - 1} y={y(s.issued)} width={bar} height={H - bottom - y(s.issued)} fill="#0b5cad" />
              <rect x={x + 1} y={y(s.redeemed)} width={bar} height={H - bottom - y(s.redeemed)} fill="url(#tb-stripes)" stroke="#8a6100" />
              <text x={x} y={H - bottom + 16} textAnchor="middle" fontSize="11">{m}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

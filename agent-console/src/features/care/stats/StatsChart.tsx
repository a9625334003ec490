import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

/**
 * A bar chart (chart.js), loaded lazily with this module so the console's first bundle stays small. The
 * canvas is an image with a name; the numbers are in the table next to it (the accessible alternative).
 */
export default function StatsChart({ label, labels, series, max, stacked = false }: { label: string; labels: string[]; series: ChartSeries[]; max?: number; stacked?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color })) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked }, y: { stacked, beginAtZero: true, ...(max !== undefined ? { max } : {}) } },
      },
    });
    return () => chart.destroy();
  }, [labels, series, max, stacked]);
  return (
    <div className="care-stats__chart" style={{ position: 'relative', height: '16rem' }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

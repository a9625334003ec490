import type { TFunction } from 'i18next';
import type { CandidateList, JobDetail } from '../../api/dispatch-wire';
import type { MapPoint, MapTiles } from './DispatchMap';

/**
 * The map's tile server, from the console build's settings: `VITE_MAP_TILE_URL` (`https://…/{z}/{x}/{y}.png`)
 * and `VITE_MAP_TILE_ATTRIBUTION`. Unset (the demo, offline): no tiles, a blank grid.
 */
export function mapTiles(): MapTiles {
  const env = import.meta.env as Record<string, string | undefined>;
  return { url: env.VITE_MAP_TILE_URL?.trim() || null, attribution: env.VITE_MAP_TILE_ATTRIBUTION?.trim() || null };
}

/** The job, its ranked candidates (numbered by rank), the excluded ones and the assignee as map pins. */
export function mapPointsOf(t: TFunction, job: JobDetail, list: CandidateList | null): MapPoint[] {
  const points: MapPoint[] = [{ id: `job:${job.id}`, lat: job.lat, lng: job.lng, kind: 'job', mark: '工', title: t('dispatch.map.jobPin', { where: job.areaText }) }];
  const km = (n: number) => n.toFixed(1);
  list?.ranked.forEach((c, i) => {
    const assignee = job.assignee?.id === c.candidateId;
    points.push({ id: c.candidateId, lat: c.position.lat, lng: c.position.lng, kind: assignee ? 'assignee' : 'candidate', mark: assignee ? '✓' : String(i + 1), title: t('dispatch.map.candidatePin', { rank: i + 1, name: c.name, km: km(c.distanceKm) }) });
  });
  for (const c of list?.excluded ?? []) {
    const assignee = job.assignee?.id === c.candidateId;
    points.push({ id: c.candidateId, lat: c.position.lat, lng: c.position.lng, kind: assignee ? 'assignee' : 'excluded', mark: assignee ? '✓' : '×', title: t('dispatch.map.excludedPin', { name: c.name }) });
  }
  return points;
}

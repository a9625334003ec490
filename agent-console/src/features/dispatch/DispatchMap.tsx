import 'leaflet/dist/leaflet.css';
import { control, divIcon, latLngBounds, layerGroup, map as leafletMap, marker, polyline, tileLayer, type LayerGroup, type Map as LeafletMap } from 'leaflet';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export type MapPointKind = 'job' | 'candidate' | 'excluded' | 'assignee';

export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  kind: MapPointKind;
  /** What the pin says on screen (a rank number, 工), kept short. */
  mark: string;
  /** The full text for the pin's tooltip (name, distance). */
  title: string;
}

export interface MapTiles {
  /** e.g. `https://tiles.example.org/{z}/{x}/{y}.png`; null: no tile server, a blank background. */
  url: string | null;
  attribution?: string | null;
}

/**
 * The job and its candidates on a Leaflet map. Without a tile server (the embedded demo, offline) the map is a
 * plain grid with a scale bar and the pins still in place; with one (`tiles.url`, from the server's dispatch
 * settings) the pins sit on the tiles. The map is a picture of the candidate table next to it (which is
 * the keyboard and screen-reader way to the same facts), so the pins take no focus.
 */
export function DispatchMap({ points, tiles, caption }: { points: MapPoint[]; tiles: MapTiles; caption: string }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<LeafletMap | null>(null);
  const pins = useRef<LayerGroup | null>(null);
  const captionId = useId();

  useEffect(() => {
    if (!el.current) return;
    const m = leafletMap(el.current, { keyboard: false, attributionControl: Boolean(tiles.url), zoomControl: true, zoomSnap: 0.5, center: [31.23, 121.47], zoom: 12 });
    m.zoomControl.remove();
    control.zoom({ zoomInTitle: t('dispatch.map.zoomIn'), zoomOutTitle: t('dispatch.map.zoomOut') }).addTo(m);
    control.scale({ imperial: false }).addTo(m);
    if (tiles.url) {
      m.attributionControl.setPrefix(false);
      tileLayer(tiles.url, { maxZoom: 19, attribution: tiles.attribution ?? '' }).addTo(m);
    }
    pins.current = layerGroup().addTo(m);
    mapRef.current = m;
    return () => {
      m.remove();
      mapRef.current = null;
      pins.current = null;
    };
  }, [tiles.url, tiles.attribution, t]);

  useEffect(() => {
    const m = mapRef.current;
    const group = pins.current;
    if (!m || !group) return;
    group.clearLayers();
    const job = points.find((p) => p.kind === 'job');
    for (const p of points) {
      if (job && p !== job && p.kind !== 'excluded') polyline([[job.lat, job.lng], [p.lat, p.lng]], { color: '#4b5563', weight: 1, dashArray: '4 4', interactive: false }).addTo(group);
    }
    // Excluded first, the job last: the job's pin is drawn on top.
    const order: MapPointKind[] = ['excluded', 'candidate', 'assignee', 'job'];
    for (const kind of order) {
      for (const p of points.filter((x) => x.kind === kind)) {
        const icon = divIcon({ className: `map-pin map-pin--${p.kind}`, html: escapeHtml(p.mark), iconSize: p.kind === 'job' ? [34, 34] : [28, 28] });
        marker([p.lat, p.lng], { icon, title: p.title, keyboard: false, interactive: false }).addTo(group);
      }
    }
    if (points.length === 1) m.setView([points[0]!.lat, points[0]!.lng], 14);
    else if (points.length > 1) m.fitBounds(latLngBounds(points.map((p) => [p.lat, p.lng] as [number, number])), { padding: [30, 30], maxZoom: 15 });
  }, [points]);

  return (
    <figure className="dispatch-map" aria-labelledby={captionId}>
      <div ref={el} className={`dispatch-map__canvas${tiles.url ? '' : ' dispatch-map__canvas--blank'}`} data-testid="dispatch-map" />
      <figcaption id={captionId} className="dispatch-map__caption">
        {caption}
        {!tiles.url && <> {t('dispatch.map.noTiles')}</>}
        <span className="dispatch-map__legend">
          <span className="map-pin map-pin--job map-pin--legend" aria-hidden="true">工</span>{t('dispatch.map.legendJob')}
          <span className="map-pin map-pin--candidate map-pin--legend" aria-hidden="true">1</span>{t('dispatch.map.legendCandidate')}
          <span className="map-pin map-pin--assignee map-pin--legend" aria-hidden="true">✓</span>{t('dispatch.map.legendAssignee')}
          <span className="map-pin map-pin--excluded map-pin--legend" aria-hidden="true">×</span>{t('dispatch.map.legendExcluded')}
        </span>
      </figcaption>
    </figure>
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

import { type Map as MapLibreMap, type GeoJSONSource, type LayerSpecification } from 'maplibre-gl';
import {
  BASE_DATA_FILE,
  CELLS_DATA_FILE,
  collectionBounds,
  loadJson,
  padBounds,
  type Bounds,
  type GeoJsonCollection,
} from '../map/map-data';
import { createFlatMap } from '../map/flat-map';
import { BASE_SOURCE, CELLS_SOURCE, buildMapStyle } from '../map/map-style';

/**
 * The triage view's small map: the offline base map and the grid of the GIS page (same style and
 * data), the located request's grid cell highlighted and a pin on the place. A click reports the
 * coordinates (the agent sets the location by hand).
 */
export const PIN_SOURCE = 'triage-pin';
const HIGHLIGHT = '#f5b02a';

const NONE = '__none__';

export interface TriageMapEvents {
  onReady(): void;
  onFailure(detail: string): void;
  onPick(lng: number, lat: number): void;
}

export class TriageMap {
  private readonly map: MapLibreMap;
  private cells: GeoJsonCollection | null = null;
  private cityBounds: Bounds | null = null;
  private loaded = false;
  private destroyed = false;
  private want: { cellId: string | null; point: { lng: number; lat: number } | null } = {
    cellId: null,
    point: null,
  };

  constructor(
    container: HTMLElement,
    baseUrl: string,
    private readonly events: TriageMapEvents,
  ) {
    const style = buildMapStyle({ base: true, grid: true, devices: false });
    // The device layers are not needed here: keep the sources and layers of the base and grid.
    style.layers = style.layers.filter(
      (l) => !('source' in l) || l.source === BASE_SOURCE || l.source === CELLS_SOURCE,
    );
    for (const id of Object.keys(style.sources))
      if (id !== BASE_SOURCE && id !== CELLS_SOURCE) delete style.sources[id];
    style.sources[PIN_SOURCE] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
    const extra: LayerSpecification[] = [
      {
        id: 'cell-highlight-fill',
        type: 'fill',
        source: CELLS_SOURCE,
        filter: ['==', ['get', 'id'], NONE],
        paint: { 'fill-color': HIGHLIGHT, 'fill-opacity': 0.28 },
      },
      {
        id: 'cell-highlight-line',
        type: 'line',
        source: CELLS_SOURCE,
        filter: ['==', ['get', 'id'], NONE],
        paint: { 'line-color': HIGHLIGHT, 'line-width': 2.5 },
      },
      {
        id: 'pin',
        type: 'circle',
        source: PIN_SOURCE,
        paint: {
          'circle-radius': 6,
          'circle-color': '#ff4d4f',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
    ];
    style.layers.push(...extra);
    this.map = createFlatMap({ container, style, center: [120.18, 30.26], zoom: 10, minZoom: 8 });
    this.map.on('error', (e) => console.warn('[triage-map]', e.error.message));
    this.map.on('click', (e) => this.events.onPick(round(e.lngLat.lng), round(e.lngLat.lat)));
    const data = Promise.all([
      loadJson<GeoJsonCollection>(baseUrl + BASE_DATA_FILE),
      loadJson<GeoJsonCollection>(baseUrl + CELLS_DATA_FILE),
    ]);
    this.map.once('load', () => {
      data.then(
        ([base, cells]) => {
          if (this.destroyed) return;
          type Data = Parameters<GeoJSONSource['setData']>[0];
          this.map.getSource<GeoJSONSource>(BASE_SOURCE)?.setData(base as unknown as Data);
          this.map.getSource<GeoJSONSource>(CELLS_SOURCE)?.setData(cells as unknown as Data);
          this.cells = cells;
          this.cityBounds = collectionBounds(base, (p) => p?.kind === 'city');
          this.loaded = true;
          this.apply(false);
          this.events.onReady();
        },
        (err: unknown) => this.events.onFailure(err instanceof Error ? err.message : String(err)),
      );
    });
  }

  /** Shows the request's cell and place (either may be null), moving the camera to them. */
  show(cellId: string | null, point: { lng: number; lat: number } | null): void {
    const same =
      cellId === this.want.cellId &&
      point?.lng === this.want.point?.lng &&
      point?.lat === this.want.point?.lat;
    this.want = { cellId, point };
    if (this.loaded && !same) this.apply(true);
  }

  private apply(animate: boolean): void {
    const { cellId, point } = this.want;
    const filter = ['==', ['get', 'id'], cellId ?? NONE] as ['==', ['get', string], string];
    this.map.setFilter('cell-highlight-fill', filter);
    this.map.setFilter('cell-highlight-line', filter);
    this.map.getSource<GeoJSONSource>(PIN_SOURCE)?.setData({
      type: 'FeatureCollection',
      features: point
        ? [
            {
              type: 'Feature',
              properties: {},
              geometry: { type: 'Point', coordinates: [point.lng, point.lat] },
            },
          ]
        : [],
    });
    const cell = cellId && this.cells ? collectionBounds(this.cells, (p) => p?.id === cellId) : null;
    const target =
      cell ?? (point ? padBounds([point.lng, point.lat, point.lng, point.lat], 0.008) : this.cityBounds);
    if (!target) return;
    this.map.fitBounds(cell ? padBounds(cell, 0.025) : target, {
      padding: 24,
      maxZoom: 16,
      duration: animate ? 400 : 0,
    });
  }

  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.destroyed = true;
    this.map.remove();
  }
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

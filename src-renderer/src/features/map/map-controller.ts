import {
  type Map as MapLibreMap,
  type GeoJSONSource,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  type PointLike,
} from 'maplibre-gl';
import type { Device } from '@shared/contract';
import { CLUSTER_SOURCE, DeviceLayer, type DeviceLayerStats, type DeviceLayerTarget } from './device-layer';
import { isDegrading } from './health-buckets';
import {
  BASE_DATA_FILE,
  CELLS_DATA_FILE,
  collectionBounds,
  loadJson,
  padBounds,
  type Bounds,
  type GeoJsonCollection,
} from './map-data';
import { createFlatMap } from './flat-map';
import {
  BASE_SOURCE,
  CELLS_SOURCE,
  CLUSTER_LAYER,
  CLUSTER_POINT_LAYER,
  DEVICE_LAYER,
  LAYER_GROUPS,
  buildMapStyle,
  deviceOpacity,
  type LayerGroup,
} from './map-style';

/** Where the map opens before any data is in: the demo city. */
const HOME = { center: [120.2, 30.27] as [number, number], zoom: 9 };
/** Zoom a device is shown at when the page is opened on it (`/map?focus=SN`). */
export const FOCUS_ZOOM = 15.5;
/** Pointer slop in pixels: dots are small, operators are busy. */
const HIT = 4;

export type MapFailure =
  | { kind: 'webgl'; code: 'noWebgl' | 'contextLost'; detail: string | null }
  | { kind: 'data'; detail: string };

export type MapHover =
  | { kind: 'device'; sn: string; x: number; y: number }
  | { kind: 'cluster'; count: number; alarm: number; warn: number; offline: number; x: number; y: number };

export interface MapView {
  lng: number;
  lat: number;
  zoom: number;
}

export interface MapControllerStats extends DeviceLayerStats {
  /** Milliseconds spent applying the last health frame (diff + setFeatureState calls). */
  lastApplyMs: number;
}

export interface MapControllerEvents {
  onReady(): void;
  onFailure(failure: MapFailure): void;
  onHover(hover: MapHover | null): void;
  onSelect(sn: string): void;
  onStats(stats: Readonly<MapControllerStats>): void;
  onView(view: MapView): void;
}

export interface MapControllerOptions {
  container: HTMLElement;
  /** Folder the app's files are served from (see `appBaseUrl`). */
  baseUrl: string;
  visible: Record<LayerGroup, boolean>;
  onlyDegrading: boolean;
  /** A device to open the map on, instead of the whole fleet. */
  focusSn: string | null;
  events: MapControllerEvents;
}

/**
 * Owns the maplibre map and the device layer, outside React: the page renders chrome (toolbar,
 * legend, tooltip) and feeds the controller the fleet's registry and health frames.
 */
export class MapController {
  private readonly map: MapLibreMap;
  private layer: DeviceLayer | null = null;
  private pending: { devices: readonly Device[]; health: Uint8Array | null } | null = null;
  private cityBounds: Bounds | null = null;
  private onlyDegrading: boolean;
  private focusSn: string | null;
  private fittedOnce = false;
  private cityFitted = false;
  private destroyed = false;
  private lastApplyMs = 0;
  private stats: DeviceLayerStats | null = null;

  /** Throws when maplibre cannot start (no WebGL); the page shows the reason. */
  constructor(private readonly options: MapControllerOptions) {
    this.onlyDegrading = options.onlyDegrading;
    this.focusSn = options.focusSn;
    this.map = createFlatMap({
      container: options.container,
      style: buildMapStyle(options.visible, options.onlyDegrading),
      center: HOME.center,
      zoom: HOME.zoom,
      minZoom: 5,
    });
    this.map.on('webglcontextlost', () =>
      options.events.onFailure({ kind: 'webgl', code: 'contextLost', detail: null }),
    );
    this.map.on('error', (e) => {
      // Style or source problems are ours to fix, not the operator's: log, keep the map.
      console.warn('[map]', e.error.message);
    });
    this.map.on('moveend', () => this.emitView());
    this.map.on('mousemove', (e) => this.hoverAt(e));
    this.map.on('mouseout', () => this.clearHover());
    this.map.on('click', (e) => this.clickAt(e));
    const data = Promise.all([
      loadJson<GeoJsonCollection>(options.baseUrl + BASE_DATA_FILE),
      loadJson<GeoJsonCollection>(options.baseUrl + CELLS_DATA_FILE),
    ]);
    this.map.once('load', () => {
      data.then(
        ([base, cells]) => this.onData(base, cells),
        (err: unknown) =>
          options.events.onFailure({
            kind: 'data',
            detail: err instanceof Error ? err.message : String(err),
          }),
      );
    });
  }

  private onData(base: GeoJsonCollection, cells: GeoJsonCollection): void {
    if (this.destroyed) return;
    this.source(BASE_SOURCE).setData(base as unknown as Parameters<GeoJSONSource['setData']>[0]);
    this.source(CELLS_SOURCE).setData(cells as unknown as Parameters<GeoJSONSource['setData']>[0]);
    this.cityBounds = collectionBounds(base, (p) => p?.kind === 'city');
    const target: DeviceLayerTarget = {
      setData: (source, fc) =>
        this.source(source).setData(fc as unknown as Parameters<GeoJSONSource['setData']>[0]),
      setFeatureState: (source, id, state) => this.map.setFeatureState({ source, id }, state),
      removeFeatureState: (source) => this.map.removeFeatureState({ source }),
      updateProperties: (source, updates) =>
        void this.source(source)
          .updateData({
            update: updates.map((u) => ({
              id: u.id,
              addOrUpdateProperties: Object.entries(u.properties).map(([key, value]) => ({ key, value })),
            })),
          })
          .catch((err: unknown) => console.warn('[map] cluster update', err)),
    };
    this.layer = new DeviceLayer(target, {
      onStats: (s) => {
        this.stats = s;
      },
    });
    if (this.onlyDegrading) this.layer.setClusterFilter(isDegrading);
    if (this.pending) this.setDevices(this.pending.devices, this.pending.health);
    else this.autoFit([]);
    this.options.events.onReady();
    this.emitView();
  }

  /** A new registry (or version): the sources get new data. Safe to call before the map is ready. */
  setDevices(devices: readonly Device[], health: Uint8Array | null): void {
    if (!this.layer) {
      this.pending = { devices, health };
      return;
    }
    this.pending = null;
    const t0 = performance.now();
    this.layer.setDevices(devices, health);
    this.lastApplyMs = performance.now() - t0;
    this.autoFit(devices);
    this.emitStats();
  }

  /**
   * The first view: the focused device, else the fleet once it has a position, else the city (and
   * the fleet later, when its first devices arrive). After that the operator owns the camera.
   */
  private autoFit(devices: readonly Device[]): void {
    if (this.fittedOnce || !this.layer) return;
    if (this.layer.placedCount > 0) {
      this.fittedOnce = true;
      if (!(this.focusSn && this.focus(this.focusSn, devices))) this.fitFleet(false);
    } else if (!this.cityFitted) {
      this.cityFitted = true;
      this.fitFleet(false);
    }
  }

  /** One health frame (registry order): only devices whose colour changed get a feature-state call. */
  applyHealth(health: Uint8Array, at: number): void {
    if (!this.layer) {
      if (this.pending) this.pending.health = health;
      return;
    }
    const t0 = performance.now();
    this.layer.applyHealth(health, at);
    this.lastApplyMs = performance.now() - t0;
    this.emitStats();
  }

  select(sn: string | null): void {
    this.layer?.select(sn);
  }

  setVisible(group: LayerGroup, visible: boolean): void {
    for (const id of LAYER_GROUPS[group]) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  setOnlyDegrading(only: boolean): void {
    this.onlyDegrading = only;
    this.map.setPaintProperty(DEVICE_LAYER, 'circle-opacity', deviceOpacity(only));
    this.map.setPaintProperty(DEVICE_LAYER, 'circle-stroke-opacity', deviceOpacity(only));
    this.layer?.setClusterFilter(only ? isDegrading : null);
    this.clearHover();
  }

  /** Fits the devices with a position, or the city when there are none. */
  fitFleet(animate = true): void {
    const b = this.layer?.bounds() ?? this.cityBounds;
    if (!b) return;
    this.map.fitBounds(padBounds(b), { padding: 48, maxZoom: 15, duration: animate ? 600 : 0 });
  }

  /** Centres a device at street zoom; false when it is unknown or has no position. */
  focus(sn: string, devices: readonly Device[]): boolean {
    const d = devices.find((x) => x.sn === sn);
    if (!d || d.lng === null || d.lat === null) return false;
    this.map.jumpTo({ center: [d.lng, d.lat], zoom: FOCUS_ZOOM });
    return true;
  }

  zoomBy(delta: number): void {
    this.map.easeTo({ zoom: this.map.getZoom() + delta, duration: 250 });
  }

  resize(): void {
    this.map.resize();
  }

  getCanvas(): HTMLCanvasElement {
    return this.map.getCanvas();
  }

  destroy(): void {
    this.destroyed = true;
    this.map.remove();
  }

  private source(id: string): GeoJSONSource {
    const s = this.map.getSource<GeoJSONSource>(id);
    if (!s) throw new Error(`map source ${id} is missing`);
    return s;
  }

  /** Text without glyphs: see map-images.ts. */
  /** The device or cluster under the pointer (dots hidden by "only degrading" do not count). */
  private pick(e: MapMouseEvent): MapGeoJSONFeature | null {
    if (!this.layer) return null;
    const box: [PointLike, PointLike] = [
      [e.point.x - HIT, e.point.y - HIT],
      [e.point.x + HIT, e.point.y + HIT],
    ];
    const layers = [DEVICE_LAYER, CLUSTER_LAYER, CLUSTER_POINT_LAYER].filter(
      (id) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none',
    );
    const hits = this.map.queryRenderedFeatures(box, { layers });
    for (const f of hits) {
      if (f.layer.id === DEVICE_LAYER && this.onlyDegrading) {
        const b = this.layer.bucketFor(String(f.properties.sn));
        if (b === null || !isDegrading(b)) continue;
      }
      return f;
    }
    return null;
  }

  private hoverAt(e: MapMouseEvent): void {
    const f = this.pick(e);
    const canvas = this.map.getCanvas();
    if (!f) {
      this.clearHover();
      return;
    }
    canvas.style.cursor = 'pointer';
    const { x, y } = e.point;
    if (f.layer.id === CLUSTER_LAYER) {
      this.layer?.hover(null);
      const p = f.properties as Record<string, number>;
      this.options.events.onHover({
        kind: 'cluster',
        count: p.point_count ?? 0,
        alarm: p.alarm ?? 0,
        warn: p.warn ?? 0,
        offline: p.offline ?? 0,
        x,
        y,
      });
      return;
    }
    const sn = String(f.properties.sn);
    this.layer?.hover(f.layer.id === DEVICE_LAYER ? sn : null);
    this.options.events.onHover({ kind: 'device', sn, x, y });
  }

  private clearHover(): void {
    this.map.getCanvas().style.cursor = '';
    this.layer?.hover(null);
    this.options.events.onHover(null);
  }

  private clickAt(e: MapMouseEvent): void {
    const f = this.pick(e);
    if (!f) return;
    if (f.layer.id === CLUSTER_LAYER) {
      const clusterId = Number(f.properties.cluster_id);
      const center = (f.geometry as { coordinates: [number, number] }).coordinates;
      void this.source(CLUSTER_SOURCE)
        .getClusterExpansionZoom(clusterId)
        .then((zoom) => this.map.easeTo({ center, zoom: zoom + 0.5, duration: 500 }))
        .catch(() => this.map.easeTo({ center, zoom: this.map.getZoom() + 2, duration: 500 }));
      return;
    }
    this.options.events.onSelect(String(f.properties.sn));
  }

  private emitView(): void {
    const c = this.map.getCenter();
    this.options.events.onView({ lng: c.lng, lat: c.lat, zoom: this.map.getZoom() });
  }

  private emitStats(): void {
    if (!this.stats) return;
    this.options.events.onStats({ ...this.stats, lastApplyMs: this.lastApplyMs });
  }
}

import type {
  ExpressionSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { CLUSTER_SOURCE, DEVICE_SOURCE } from './device-layer';
import { Bucket, clusterColour, clusterProperties, deviceColour } from './health-buckets';
import { CELL_IMAGE_PREFIX, COUNT_IMAGE_PREFIX, LABEL_IMAGE_PREFIX } from './map-images';

/**
 * The map's whole style, bundled: no tile, glyph or sprite URL exists, so nothing is fetched from
 * outside the app. The base layer and the grid cells are GeoJSON the project generates
 * (`scripts/generate-map-data.ts`), loaded from the app's own `map/` folder and set as source data.
 */
export const BASE_SOURCE = 'base';
export const CELLS_SOURCE = 'grid-cells';

/** Below this zoom devices are clustered; from it on each device is its own dot. */
export const DEVICE_MIN_ZOOM = 11;
/** Grid cells are 400 m squares: drawn from this zoom on. */
export const GRID_MIN_ZOOM = 10;
/** A cell is about 120 px wide from here on: room for its id. */
export const GRID_LABEL_MIN_ZOOM = 15.5;

export const LAYER_GROUPS = {
  base: ['city-fill', 'city-line', 'district-fill', 'district-line', 'district-labels', 'roads'],
  grid: ['grid-fill', 'grid-line', 'grid-labels'],
  devices: ['clusters', 'cluster-counts', 'cluster-points', 'devices'],
} as const;
export type LayerGroup = keyof typeof LAYER_GROUPS;
export const LAYER_GROUP_NAMES = Object.keys(LAYER_GROUPS) as LayerGroup[];

/** Layers the pointer interacts with. */
export const DEVICE_LAYER = 'devices';
export const CLUSTER_LAYER = 'clusters';
export const CLUSTER_POINT_LAYER = 'cluster-points';
export const GRID_FILL_LAYER = 'grid-fill';

const PALETTE = {
  background: '#070b10',
  city: '#0d141c',
  cityLine: '#33465e',
  district: '#101a25',
  districtLine: '#2a3a4e',
  road: '#1d3145',
  grid: '#3ba4ff',
  accent: '#3ba4ff',
  dotStroke: '#05080c',
};

const emptyCollection = { type: 'FeatureCollection', features: [] } as const;

const kindIs = (kind: string): ExpressionSpecification => ['==', ['get', 'kind'], kind];

/**
 * "Only degrading" hides the other dots through paint (feature state cannot be used in a filter);
 * the page also ignores the hidden ones under the pointer.
 */
export function deviceOpacity(onlyDegrading: boolean): ExpressionSpecification | number {
  if (!onlyDegrading) return 1;
  return ['match', ['coalesce', ['feature-state', 'health'], -1], [Bucket.warn, Bucket.alarm], 1, 0];
}

const isAlarm: ExpressionSpecification = ['==', ['coalesce', ['feature-state', 'health'], -1], Bucket.alarm];

export function buildMapStyle(
  visible: Record<LayerGroup, boolean>,
  onlyDegrading = false,
): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    [BASE_SOURCE]: { type: 'geojson', data: emptyCollection },
    [CELLS_SOURCE]: { type: 'geojson', data: emptyCollection, promoteId: 'id' },
    [DEVICE_SOURCE]: { type: 'geojson', data: emptyCollection, promoteId: 'sn' },
    [CLUSTER_SOURCE]: {
      type: 'geojson',
      data: emptyCollection,
      cluster: true,
      clusterRadius: 46,
      clusterMaxZoom: DEVICE_MIN_ZOOM - 1,
      clusterProperties: clusterProperties as unknown as Record<string, unknown>,
    },
  };
  const group = (layer: LayerSpecification): LayerSpecification => {
    const name = LAYER_GROUP_NAMES.find((g) => (LAYER_GROUPS[g] as readonly string[]).includes(layer.id));
    if (!name || layer.type === 'background') return layer;
    return {
      ...layer,
      layout: { ...layer.layout, visibility: visible[name] ? 'visible' : 'none' },
    } as LayerSpecification;
  };
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': PALETTE.background } },
    {
      id: 'city-fill',
      type: 'fill',
      source: BASE_SOURCE,
      filter: kindIs('city'),
      paint: { 'fill-color': PALETTE.city },
    },
    {
      id: 'district-fill',
      type: 'fill',
      source: BASE_SOURCE,
      filter: kindIs('district'),
      paint: { 'fill-color': PALETTE.district, 'fill-opacity': 0.9 },
    },
    {
      id: 'district-line',
      type: 'line',
      source: BASE_SOURCE,
      filter: kindIs('district'),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': PALETTE.districtLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.8, 12, 1.6],
      },
    },
    {
      id: 'city-line',
      type: 'line',
      source: BASE_SOURCE,
      filter: kindIs('city'),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': PALETTE.cityLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 7, 1.2, 12, 2.4],
      },
    },
    {
      id: 'roads',
      type: 'line',
      source: BASE_SOURCE,
      filter: kindIs('road'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': PALETTE.road,
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 7, 1, 12, 3.5, 16, 9],
      },
    },
    {
      id: 'grid-fill',
      type: 'fill',
      source: CELLS_SOURCE,
      minzoom: GRID_MIN_ZOOM,
      paint: {
        'fill-color': PALETTE.grid,
        'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.16, 0.035],
      },
    },
    {
      id: 'grid-line',
      type: 'line',
      source: CELLS_SOURCE,
      minzoom: GRID_MIN_ZOOM,
      paint: {
        'line-color': PALETTE.grid,
        'line-opacity': ['interpolate', ['linear'], ['zoom'], GRID_MIN_ZOOM, 0.12, 14, 0.35],
        'line-width': ['interpolate', ['linear'], ['zoom'], GRID_MIN_ZOOM, 0.4, 15, 1],
      },
    },
    {
      id: 'grid-labels',
      type: 'symbol',
      source: CELLS_SOURCE,
      minzoom: GRID_LABEL_MIN_ZOOM,
      layout: {
        'icon-image': ['concat', CELL_IMAGE_PREFIX, ['get', 'id']],
        'icon-allow-overlap': false,
        'icon-padding': 2,
      },
    },
    {
      id: 'district-labels',
      type: 'symbol',
      source: BASE_SOURCE,
      filter: kindIs('label'),
      maxzoom: 14,
      layout: {
        'icon-image': ['concat', LABEL_IMAGE_PREFIX, ['get', 'name']],
        'icon-anchor': 'center',
        'icon-offset': [0, -18],
        'icon-allow-overlap': false,
        'icon-padding': 4,
      },
      paint: { 'icon-opacity': ['interpolate', ['linear'], ['zoom'], 7, 0.75, 11, 0.95] },
    },
    {
      id: 'cluster-points',
      type: 'circle',
      source: CLUSTER_SOURCE,
      filter: ['!', ['has', 'point_count']],
      maxzoom: DEVICE_MIN_ZOOM,
      paint: {
        'circle-color': clusterColour,
        // A lone device at city zoom: big enough to see and to hover.
        'circle-radius': 4.5,
        'circle-stroke-color': PALETTE.dotStroke,
        'circle-stroke-width': 1,
      },
    },
    {
      id: 'clusters',
      type: 'circle',
      source: CLUSTER_SOURCE,
      filter: ['has', 'point_count'],
      maxzoom: DEVICE_MIN_ZOOM,
      paint: {
        'circle-color': clusterColour,
        'circle-opacity': 0.82,
        'circle-radius': ['step', ['get', 'point_count'], 11, 10, 14, 50, 18, 200, 23, 1000, 29, 5000, 35],
        'circle-stroke-color': clusterColour,
        'circle-stroke-opacity': 0.3,
        'circle-stroke-width': 5,
      },
    },
    {
      id: 'cluster-counts',
      type: 'symbol',
      source: CLUSTER_SOURCE,
      filter: ['has', 'point_count'],
      maxzoom: DEVICE_MIN_ZOOM,
      layout: {
        'icon-image': ['concat', COUNT_IMAGE_PREFIX, ['get', 'point_count_abbreviated']],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
    {
      id: 'devices',
      type: 'circle',
      source: DEVICE_SOURCE,
      minzoom: DEVICE_MIN_ZOOM,
      paint: {
        'circle-opacity': deviceOpacity(onlyDegrading),
        'circle-stroke-opacity': deviceOpacity(onlyDegrading),
        'circle-color': deviceColour,
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          DEVICE_MIN_ZOOM,
          ['case', isAlarm, 5, 3.5],
          14,
          ['case', isAlarm, 7.5, 5.5],
          17,
          ['case', isAlarm, 11, 8.5],
        ],
        'circle-stroke-color': [
          'case',
          ['boolean', ['feature-state', 'selected'], false],
          PALETTE.accent,
          ['boolean', ['feature-state', 'hover'], false],
          '#ffffff',
          PALETTE.dotStroke,
        ],
        'circle-stroke-width': [
          'case',
          ['boolean', ['feature-state', 'selected'], false],
          3,
          ['boolean', ['feature-state', 'hover'], false],
          2,
          1,
        ],
      },
    },
  ];
  return {
    version: 8,
    name: 'watchfloor-offline',
    sources,
    layers: layers.map(group),
  };
}

import { Map as MapLibreMap, setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
// The worker as a file of the app (not a blob built at run time), so a strict CSP and file://
// pages in Electron load it like any other script.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { drawMapImage, parseImageId } from './map-images';

setWorkerUrl(workerUrl);

/**
 * A flat operations map: no rotation or pitch (they only disorient in a control room), the page's
 * own keys instead of maplibre's, and text labels drawn to images on demand, because the offline
 * style has no glyphs. Shared by the map page and the triage desk's small map.
 */
export function createFlatMap(options: {
  container: HTMLElement;
  style: StyleSpecification;
  center: [number, number];
  zoom: number;
  minZoom: number;
}): MapLibreMap {
  const map = new MapLibreMap({
    container: options.container,
    style: options.style,
    center: options.center,
    zoom: options.zoom,
    minZoom: options.minZoom,
    maxZoom: 18,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    renderWorldCopies: false,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disable();
  // maplibre 6 resolves missing images through this hook (an event listener is too late).
  map.setMissingStyleImageResolver((id) => {
    const request = parseImageId(id);
    if (!request || map.hasImage(id)) return;
    const image = drawMapImage(request, window.devicePixelRatio || 1);
    if (!image) return;
    map.addImage(
      id,
      { width: image.width, height: image.height, data: image.data },
      { pixelRatio: image.pixelRatio },
    );
  });
  return map;
}

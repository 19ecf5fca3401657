/**
 * Text on the map without glyphs. A maplibre `text-field` needs signed-distance-field glyph
 * tiles from a URL; shipping CJK glyph ranges would cost megabytes. Instead, symbol layers ask
 * for an `icon-image` named after the text (`count:1.2k`, `label:西湖区`) and the map's missing
 * image resolver draws it on a canvas with the system font and adds it to the style. The style
 * therefore has no `glyphs` URL at all.
 */
export type MapImageKind = 'count' | 'label' | 'cell';
export interface MapImageRequest {
  kind: MapImageKind;
  text: string;
}

export const COUNT_IMAGE_PREFIX = 'count:';
export const LABEL_IMAGE_PREFIX = 'label:';
/** Grid cell ids, drawn small and faint at street zoom. */
export const CELL_IMAGE_PREFIX = 'cell:';

/** The longest text drawn; anything longer is not ours (and would make a huge image). */
const MAX_TEXT = 24;

export function parseImageId(id: string): MapImageRequest | null {
  for (const [prefix, kind] of [
    [COUNT_IMAGE_PREFIX, 'count'],
    [LABEL_IMAGE_PREFIX, 'label'],
    [CELL_IMAGE_PREFIX, 'cell'],
  ] as const) {
    if (id.startsWith(prefix)) {
      const text = id.slice(prefix.length);
      return text.length > 0 && text.length <= MAX_TEXT ? { kind, text } : null;
    }
  }
  return null;
}

/** The font stack of the theme (system fonts only). */
const FONT = `'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', system-ui, sans-serif`;

export interface DrawnImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
  pixelRatio: number;
}

/**
 * Draws a requested image at the device pixel ratio. Counts are bold white numerals meant to sit
 * on a cluster circle; labels are light text with a dark halo, readable over any fill.
 */
export function drawMapImage(request: MapImageRequest, pixelRatio: number): DrawnImage | null {
  const ratio = Math.max(1, Math.min(3, Math.round(pixelRatio * 2) / 2));
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const size = request.kind === 'count' ? 12 : request.kind === 'cell' ? 10 : 13;
  const weight = request.kind === 'count' ? 700 : request.kind === 'cell' ? 400 : 500;
  const font = `${weight} ${size * ratio}px ${FONT}`;
  ctx.font = font;
  const halo = (request.kind === 'count' ? 2 : 3) * ratio;
  const textWidth = Math.ceil(ctx.measureText(request.text).width);
  const width = textWidth + 2 * halo + 2;
  const height = Math.ceil(size * ratio * 1.35) + 2 * halo;
  canvas.width = width;
  canvas.height = height;
  // Resizing resets the context.
  ctx.font = font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.lineWidth = halo;
  ctx.strokeStyle = request.kind === 'count' ? 'rgba(6, 10, 14, 0.55)' : 'rgba(8, 12, 17, 0.9)';
  ctx.fillStyle = request.kind === 'count' ? '#ffffff' : request.kind === 'cell' ? '#6f9ccc' : '#b9c7d8';
  const x = width / 2;
  const y = height / 2 + ratio * 0.5;
  ctx.strokeText(request.text, x, y);
  ctx.fillText(request.text, x, y);
  const image = ctx.getImageData(0, 0, width, height);
  return { width, height, data: image.data, pixelRatio: ratio };
}

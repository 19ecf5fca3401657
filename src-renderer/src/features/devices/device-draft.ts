import type { Device, DeviceFields } from '@shared/contract';

/** The device form: text as typed; turned into `DeviceFields` once it passes these checks. */
export interface MetadataRow {
  key: string;
  value: string;
}

export interface DeviceDraft {
  sn: string;
  kind: string;
  site: string;
  region: string;
  lng: string;
  lat: string;
  model: string;
  installDate: string;
  metadata: MetadataRow[];
}

export type DeviceProblem =
  | 'required'
  | 'snFormat'
  | 'snTaken'
  | 'notNumber'
  | 'lngLatPair'
  | 'lngRange'
  | 'latRange'
  | 'dateFormat'
  | 'metadataKey'
  | 'metadataDuplicate'
  | 'metadataTooMany';

const SN_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const META_KEY_RE = /^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_METADATA = 32;

export function emptyDeviceDraft(kind: string): DeviceDraft {
  return { sn: '', kind, site: '', region: '', lng: '', lat: '', model: '', installDate: '', metadata: [] };
}

export function draftFromDevice(d: Device): DeviceDraft {
  return {
    sn: d.sn,
    kind: d.kind,
    site: d.site,
    region: d.region,
    lng: d.lng === null ? '' : String(d.lng),
    lat: d.lat === null ? '' : String(d.lat),
    model: d.model,
    installDate: d.installDate ?? '',
    metadata: Object.entries(d.metadata).map(([key, value]) => ({ key, value })),
  };
}

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s.trim()));

/** Problems by field path (`sn`, `lat`, `metadata.3` for the fourth metadata row). */
export function validateDeviceDraft(
  draft: DeviceDraft,
  options: { creating: boolean; isTaken?: (sn: string) => boolean },
): Record<string, DeviceProblem> {
  const p: Record<string, DeviceProblem> = {};
  const sn = draft.sn.trim();
  if (!sn) p.sn = 'required';
  else if (!SN_RE.test(sn) || sn.length > 64) p.sn = 'snFormat';
  else if (options.creating && options.isTaken?.(sn)) p.sn = 'snTaken';
  if (!draft.kind) p.kind = 'required';
  if (!draft.site.trim()) p.site = 'required';
  if (!draft.region.trim()) p.region = 'required';

  const lng = num(draft.lng);
  const lat = num(draft.lat);
  if (lng !== null && !Number.isFinite(lng)) p.lng = 'notNumber';
  else if (lng !== null && (lng < -180 || lng > 180)) p.lng = 'lngRange';
  if (lat !== null && !Number.isFinite(lat)) p.lat = 'notNumber';
  else if (lat !== null && (lat < -90 || lat > 90)) p.lat = 'latRange';
  if ((lng === null) !== (lat === null)) p[lng === null ? 'lng' : 'lat'] = 'lngLatPair';

  if (
    draft.installDate &&
    (!DATE_RE.test(draft.installDate) || Number.isNaN(Date.parse(draft.installDate)))
  ) {
    p.installDate = 'dateFormat';
  }

  const seen = new Set<string>();
  const filled = draft.metadata.filter((r) => r.key.trim() || r.value.trim());
  if (filled.length > MAX_METADATA) p.metadata = 'metadataTooMany';
  draft.metadata.forEach((r, i) => {
    const key = r.key.trim();
    if (!key && !r.value.trim()) return;
    if (!META_KEY_RE.test(key)) p[`metadata.${i}`] = 'metadataKey';
    else if (seen.has(key)) p[`metadata.${i}`] = 'metadataDuplicate';
    seen.add(key);
  });
  return p;
}

export function toDeviceFields(draft: DeviceDraft): DeviceFields {
  const metadata: Record<string, string> = {};
  for (const r of draft.metadata) if (r.key.trim()) metadata[r.key.trim()] = r.value;
  return {
    sn: draft.sn.trim(),
    kind: draft.kind,
    site: draft.site.trim(),
    region: draft.region.trim(),
    lng: num(draft.lng),
    lat: num(draft.lat),
    model: draft.model.trim(),
    installDate: draft.installDate || null,
    metadata,
  };
}

/**
 * After a CONFLICT: the latest version under the operator's own changes. A field the operator did
 * not touch (same as when the edit started) takes the latest value; a changed one keeps the edit.
 */
export function mergeLatest(draft: DeviceDraft, base: Device, latest: Device): DeviceDraft {
  const from = draftFromDevice(base);
  const to = draftFromDevice(latest);
  const pick = <K extends keyof DeviceDraft>(k: K): DeviceDraft[K] =>
    JSON.stringify(draft[k]) === JSON.stringify(from[k]) ? to[k] : draft[k];
  return {
    sn: draft.sn,
    kind: pick('kind'),
    site: pick('site'),
    region: pick('region'),
    lng: pick('lng'),
    lat: pick('lat'),
    model: pick('model'),
    installDate: pick('installDate'),
    metadata: pick('metadata'),
  };
}

/**
 * The core's INVALID_ARGUMENT paths as the form's keys: `device.` is dropped, and a metadata entry
 * (`metadata.owner`) points at its row (`metadata.2`).
 */
export function formIssues(issues: Record<string, string>, draft: DeviceDraft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [raw, message] of Object.entries(issues)) {
    let path = raw.replace(/^device\./, '');
    const meta = /^metadata\.(.+)$/.exec(path);
    if (meta) {
      const row = draft.metadata.findIndex((r) => r.key.trim() === meta[1]);
      if (row >= 0) path = `metadata.${row}`;
    }
    out[path] = out[path] ? `${out[path]}; ${message}` : message;
  }
  return out;
}

import type {
  Device,
  DeviceKind,
  DeviceTelemetry,
  GeoLocation,
  ImpactDomain,
  Series,
} from '@shared/contract';
import { HEALTH_NO_DATA, HEALTH_OFFLINE } from '@shared/contract';
import { healthLevel, type Level } from '../heatmap/health-scale';

/**
 * Pure helpers of the device detail: one line from history + recent samples, the latest value of a
 * metric, and what a ticket opened from the device is prefilled with.
 */

export interface Line {
  t: number[];
  v: (number | null)[];
  /** Index of the first recent (raw) sample; the points before it are 5-minute averages. */
  recentFrom: number;
}

/** History (5-minute averages) up to where the raw samples start, then the raw samples. */
export function mergeSeries(history: Series | undefined, recent: Series | undefined): Line {
  const t: number[] = [];
  const v: (number | null)[] = [];
  const firstRecent = recent && recent.t.length > 0 ? recent.t[0]! : Infinity;
  if (history) {
    for (let i = 0; i < history.t.length; i++) {
      if (history.t[i]! >= firstRecent) break;
      t.push(history.t[i]!);
      v.push(history.v[i] ?? null);
    }
  }
  const recentFrom = t.length;
  if (recent) {
    for (let i = 0; i < recent.t.length; i++) {
      t.push(recent.t[i]!);
      v.push(recent.v[i] ?? null);
    }
  }
  return { t, v, recentFrom };
}

/** The last non-null value of the recent samples, else of the history; NaN when there is none. */
export function latestValue(series: { recent?: Series; history?: Series } | undefined): number {
  for (const s of [series?.recent, series?.history]) {
    if (!s) continue;
    for (let i = s.v.length - 1; i >= 0; i--) {
      const v = s.v[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) return v;
    }
  }
  return Number.NaN;
}

/** The device's level: offline (from the detail or the frame) first, then its health band. */
export function deviceLevel(detail: DeviceTelemetry | null, frameHealth: number | null): Level {
  if (detail?.state === 'offline' || frameHealth === HEALTH_OFFLINE) return 'offline';
  if (detail?.health !== null && detail?.health !== undefined) return healthLevel(detail.health);
  if (frameHealth === null || frameHealth === HEALTH_NO_DATA) return 'noData';
  return healthLevel(frameHealth);
}

/** The device's current health (0–100) from the detail, else from the frame; null if unknown. */
export function currentHealth(detail: DeviceTelemetry | null, frameHealth: number | null): number | null {
  if (detail?.health !== null && detail?.health !== undefined) return Math.round(detail.health);
  if (frameHealth !== null && frameHealth <= 100) return frameHealth;
  return null;
}

/** The ticket type a device ticket uses: the seeded device-fault type when configured. */
export const DEVICE_FAULT_TYPE = 'device-fault';
export const DEVICE_TICKET_DOMAINS: ImpactDomain[] = ['production'];

/** Where the device stands, with its management grid cell when the registry knows it. */
export function deviceLocation(device: Device): { location: GeoLocation | null; gridId: string | undefined } {
  const gridId = device.metadata.gridId ?? device.metadata.grid ?? undefined;
  if (device.lng === null || device.lat === null) return { location: null, gridId };
  const address = device.metadata.address;
  return {
    location: {
      lng: device.lng,
      lat: device.lat,
      ...(address ? { address } : {}),
      ...(gridId ? { gridId } : {}),
    },
    gridId,
  };
}

/** Custom fields of the device-fault type that the device fills (only those the type defines). */
export function deviceFields(
  device: Device,
  fieldKeys: readonly string[],
  kindOptions: readonly string[] | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (fieldKeys.includes('deviceKind') && (!kindOptions || kindOptions.includes(device.kind)))
    out.deviceKind = device.kind;
  if (fieldKeys.includes('siteName')) out.siteName = device.site;
  return out;
}

export function kindOf(kinds: readonly DeviceKind[], id: string): DeviceKind | undefined {
  return kinds.find((k) => k.id === id);
}

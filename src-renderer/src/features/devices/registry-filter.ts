import type { Device } from '@shared/contract';

export interface RegistryFilter {
  /** Matches SN, site, region and model, case-insensitively. */
  text: string;
  kind: string | null;
  region: string | null;
  site: string | null;
}

export const NO_FILTER: RegistryFilter = { text: '', kind: null, region: null, site: null };

export const isFiltered = (f: RegistryFilter): boolean => !!(f.text.trim() || f.kind || f.region || f.site);

/** Registry indices of the devices that pass the filter (the index also addresses their health). */
export function filterDevices(devices: readonly Device[], f: RegistryFilter): number[] {
  const text = f.text.trim().toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i]!;
    if (f.kind && d.kind !== f.kind) continue;
    if (f.region && d.region !== f.region) continue;
    if (f.site && d.site !== f.site) continue;
    if (
      text &&
      !d.sn.toLowerCase().includes(text) &&
      !d.site.toLowerCase().includes(text) &&
      !d.region.toLowerCase().includes(text) &&
      !d.model.toLowerCase().includes(text)
    ) {
      continue;
    }
    out.push(i);
  }
  return out;
}

/** The regions of the registry, and the sites (of the chosen region), sorted for pickers. */
export function facetValues(
  devices: readonly Device[],
  region: string | null,
): { regions: string[]; sites: string[] } {
  const regions = new Set<string>();
  const sites = new Set<string>();
  for (const d of devices) {
    regions.add(d.region);
    if (!region || d.region === region) sites.add(d.site);
  }
  const collator = new Intl.Collator('zh-CN');
  return { regions: [...regions].sort(collator.compare), sites: [...sites].sort(collator.compare) };
}

/** Live state of a device from its health byte (255 offline, 254 no data, 0–100 online). */
export type LiveState = 'online' | 'offline' | 'noData';
export function liveStateOf(health: number | null | undefined): LiveState {
  if (health === null || health === undefined || health === 254) return 'noData';
  if (health === 255) return 'offline';
  return 'online';
}

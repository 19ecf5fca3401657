import type { Device } from '@shared/contract';
import { BUCKET_UNSET, Bucket, SEVERITY_PROPERTY, bucketOf, type BucketCode } from './health-buckets';

/**
 * The device layer's bookkeeping, kept apart from maplibre so it can be tested with a fake map.
 *
 * Two GeoJSON sources hold the same points:
 * - `devices` (promoteId `sn`): drawn at street zoom. Its data is set once per registry version;
 *   health reaches it as feature state only. Each frame (1 Hz) is compared bucket by bucket with
 *   what was last sent, and `setFeatureState` is called for the devices whose colour changed —
 *   typically a handful out of thousands — never `setData`.
 * - `device-clusters` (clustered): drawn at city zoom. Clusters aggregate properties, not feature
 *   state, so this source carries each device's bucket as a property. At most every
 *   {@link CLUSTER_REFRESH_MS} (5 s), and only when some bucket changed, the changed devices are
 *   sent as a property diff (`updateData`): the worker re-clusters, the main thread sends a few
 *   hundred bytes instead of structured-cloning the whole fleet (≈25 ms at 10,000 devices, one
 *   dropped frame every refresh). Cluster colours may thus lag the device dots by up to that long.
 */
export const DEVICE_SOURCE = 'devices';
export const CLUSTER_SOURCE = 'device-clusters';
export const CLUSTER_REFRESH_MS = 5_000;

export interface DeviceProperties {
  sn: string;
}
/** One device's new properties on the clustered source, keyed by its feature id (the slot). */
export interface PropertyUpdate {
  id: number;
  properties: Record<string, unknown>;
}

export interface ClusterPointProperties {
  sn: string;
  [SEVERITY_PROPERTY]: BucketCode;
}
export interface PointFeature<P> {
  type: 'Feature';
  id?: number;
  properties: P;
  geometry: { type: 'Point'; coordinates: [number, number] };
}
export interface PointCollection<P> {
  type: 'FeatureCollection';
  features: PointFeature<P>[];
}

/** What the layer needs of the map (MapPage adapts a maplibre Map to it). */
export interface DeviceLayerTarget {
  setData(source: string, data: PointCollection<DeviceProperties | ClusterPointProperties>): void;
  setFeatureState(source: string, id: string, state: Record<string, unknown>): void;
  removeFeatureState(source: string): void;
  /** Changes some features' properties in place (maplibre `updateData`). */
  updateProperties(source: string, updates: PropertyUpdate[]): void;
}

export interface DeviceLayerStats {
  /** Device features in the source (devices with a position). */
  devicesRendered: number;
  /** Time of the last health frame applied (epoch ms), null before the first. */
  lastStateUpdate: number | null;
  /** `setFeatureState` calls for health made by the last frame, and in total. */
  lastStateChanges: number;
  stateUpdates: number;
  framesApplied: number;
  /** When the clustered source was last re-sent (epoch ms). */
  clustersRefreshedAt: number | null;
}

/** Bucket of every possible health byte, so the per-frame loop is one table look-up per device. */
const BUCKET_OF_BYTE = Uint8Array.from({ length: 256 }, (_, b) => bucketOf(b));

/**
 * Compares a frame with the buckets last sent, slot by slot (`placed[slot]` is the device's index
 * in the frame), records the new buckets in `sent` and returns the slots whose bucket changed.
 */
export function diffBuckets(sent: Uint8Array, health: Uint8Array, placed: ArrayLike<number>): number[] {
  const changed: number[] = [];
  for (let slot = 0; slot < placed.length; slot++) {
    const b = BUCKET_OF_BYTE[health[placed[slot]!]!]!;
    if (sent[slot] !== b) {
      sent[slot] = b;
      changed.push(slot);
    }
  }
  return changed;
}

export function hasPosition(d: Pick<Device, 'lng' | 'lat'>): d is { lng: number; lat: number } {
  return (
    typeof d.lng === 'number' &&
    typeof d.lat === 'number' &&
    Number.isFinite(d.lng) &&
    Number.isFinite(d.lat) &&
    Math.abs(d.lng) <= 180 &&
    Math.abs(d.lat) <= 90
  );
}

/** Registry indices of the devices that have a position (the rest cannot be drawn). */
export function placedIndices(devices: readonly Device[]): Int32Array {
  const out: number[] = [];
  devices.forEach((d, i) => {
    if (hasPosition(d)) out.push(i);
  });
  return Int32Array.from(out);
}

export class DeviceLayer {
  private devices: readonly Device[] = [];
  private placed: Int32Array = new Int32Array(0);
  private slotBySn = new Map<string, number>();
  /** Per placed slot: the bucket code last sent as feature state, or BUCKET_UNSET. */
  private sent = new Uint8Array(0);
  private clusterDirty = false;
  /** Per slot: the bucket the clustered source holds, or BUCKET_UNSET when it was not sent. */
  private clusterSent = new Uint8Array(0);
  /** False while the clustered source was last sent without any health (all "no data"). */
  private clustersHaveHealth = false;
  /** Which buckets the clustered source carries ("only degrading" drops the rest); null = all. */
  private clusterKeep: ((bucket: BucketCode) => boolean) | null = null;
  private selected: string | null = null;
  private hovered: string | null = null;
  private readonly stats: DeviceLayerStats = {
    devicesRendered: 0,
    lastStateUpdate: null,
    lastStateChanges: 0,
    stateUpdates: 0,
    framesApplied: 0,
    clustersRefreshedAt: null,
  };

  constructor(
    private readonly target: DeviceLayerTarget,
    private readonly options: {
      clusterRefreshMs?: number;
      now?: () => number;
      onStats?: (stats: Readonly<DeviceLayerStats>) => void;
    } = {},
  ) {}

  get placedCount(): number {
    return this.placed.length;
  }

  /** Registry indices of the drawn devices (for fit-to-fleet and legend counts). */
  get placedIndices(): Int32Array {
    return this.placed;
  }

  /** A new registry (or version of it): both sources get new data, every state is sent afresh. */
  setDevices(devices: readonly Device[], health: Uint8Array | null, at: number | null = null): void {
    this.devices = devices;
    this.placed = placedIndices(devices);
    this.slotBySn = new Map(Array.from(this.placed, (i, slot) => [devices[i]!.sn, slot]));
    this.sent = new Uint8Array(this.placed.length).fill(BUCKET_UNSET);
    this.target.removeFeatureState(DEVICE_SOURCE);
    const features: PointFeature<DeviceProperties>[] = [];
    for (const i of this.placed) {
      const d = devices[i]!;
      features.push({
        type: 'Feature',
        properties: { sn: d.sn },
        geometry: { type: 'Point', coordinates: [d.lng!, d.lat!] },
      });
    }
    this.target.setData(DEVICE_SOURCE, { type: 'FeatureCollection', features });
    this.stats.devicesRendered = features.length;
    // Feature state was cleared: put back what the operator is pointing at.
    if (this.selected) this.target.setFeatureState(DEVICE_SOURCE, this.selected, { selected: true });
    if (this.hovered) this.target.setFeatureState(DEVICE_SOURCE, this.hovered, { hover: true });
    if (health && health.length === devices.length) this.applyDiff(health, at ?? this.now());
    this.refreshClusters(true);
    this.emit();
  }

  /**
   * One health frame (registry order). Returns how many devices changed colour. A frame of another
   * length belongs to another registry version and is ignored (the fleet store refetches the list).
   */
  applyHealth(health: Uint8Array, at: number): number {
    if (health.length !== this.devices.length) return 0;
    const changed = this.applyDiff(health, at);
    this.refreshClusters(false);
    this.emit();
    return changed;
  }

  private applyDiff(health: Uint8Array, at: number): number {
    const changed = diffBuckets(this.sent, health, this.placed);
    for (const slot of changed) {
      this.target.setFeatureState(DEVICE_SOURCE, this.devices[this.placed[slot]!]!.sn, {
        health: this.sent[slot],
      });
    }
    if (changed.length > 0) this.clusterDirty = true;
    this.stats.lastStateUpdate = at;
    this.stats.lastStateChanges = changed.length;
    this.stats.stateUpdates += changed.length;
    this.stats.framesApplied++;
    return changed.length;
  }

  /**
   * Re-sends the clustered source when forced, or when buckets changed and the interval passed.
   * The first frame with health is sent at once: otherwise every cluster would stay "no data"
   * for a whole interval after the page opens.
   */
  refreshClusters(force: boolean): boolean {
    const now = this.now();
    const last = this.stats.clustersRefreshedAt;
    const interval = this.options.clusterRefreshMs ?? CLUSTER_REFRESH_MS;
    const firstHealth = this.clusterDirty && !this.clustersHaveHealth;
    if (!force && !firstHealth && (!this.clusterDirty || (last !== null && now - last < interval)))
      return false;
    // A filter changes which points exist, not only their properties: send them all (few, then).
    if (force || this.clusterKeep || this.clusterSent.length !== this.placed.length)
      this.sendAllClusterPoints();
    else this.sendClusterChanges();
    this.clusterDirty = false;
    this.stats.clustersRefreshedAt = now;
    return true;
  }

  private sendAllClusterPoints(): void {
    const features: PointFeature<ClusterPointProperties>[] = [];
    let withHealth = false;
    this.clusterSent = new Uint8Array(this.placed.length).fill(BUCKET_UNSET);
    for (let slot = 0; slot < this.placed.length; slot++) {
      const d = this.devices[this.placed[slot]!]!;
      const sent = this.sent[slot]!;
      if (sent !== BUCKET_UNSET) withHealth = true;
      const b = (sent === BUCKET_UNSET ? Bucket.noData : sent) as BucketCode;
      if (this.clusterKeep && !this.clusterKeep(b)) continue;
      this.clusterSent[slot] = b;
      features.push({
        type: 'Feature',
        id: slot,
        properties: { sn: d.sn, [SEVERITY_PROPERTY]: b },
        geometry: { type: 'Point', coordinates: [d.lng!, d.lat!] },
      });
    }
    this.target.setData(CLUSTER_SOURCE, { type: 'FeatureCollection', features });
    this.clustersHaveHealth = withHealth;
  }

  /** Only the devices whose bucket differs from what the clustered source holds. */
  private sendClusterChanges(): void {
    const updates: PropertyUpdate[] = [];
    let withHealth = false;
    for (let slot = 0; slot < this.placed.length; slot++) {
      const sent = this.sent[slot]!;
      if (sent !== BUCKET_UNSET) withHealth = true;
      const b = sent === BUCKET_UNSET ? Bucket.noData : sent;
      if (this.clusterSent[slot] !== b) {
        this.clusterSent[slot] = b;
        updates.push({ id: slot, properties: { [SEVERITY_PROPERTY]: b } });
      }
    }
    if (updates.length > 0) this.target.updateProperties(CLUSTER_SOURCE, updates);
    this.clustersHaveHealth = withHealth;
  }

  /** Restricts the clustered source to some buckets (null: all) and re-sends it at once. */
  setClusterFilter(keep: ((bucket: BucketCode) => boolean) | null): void {
    this.clusterKeep = keep;
    this.refreshClusters(true);
  }

  /** The bucket last sent for a device, or null when it is not drawn or has none yet. */
  bucketFor(sn: string): BucketCode | null {
    const slot = this.slotBySn.get(sn);
    if (slot === undefined) return null;
    const b = this.sent[slot]!;
    return b === BUCKET_UNSET ? null : (b as BucketCode);
  }

  select(sn: string | null): void {
    if (sn === this.selected) return;
    if (this.selected) this.target.setFeatureState(DEVICE_SOURCE, this.selected, { selected: false });
    this.selected = sn;
    if (sn) this.target.setFeatureState(DEVICE_SOURCE, sn, { selected: true });
  }

  hover(sn: string | null): void {
    if (sn === this.hovered) return;
    if (this.hovered) this.target.setFeatureState(DEVICE_SOURCE, this.hovered, { hover: false });
    this.hovered = sn;
    if (sn) this.target.setFeatureState(DEVICE_SOURCE, sn, { hover: true });
  }

  /** [west, south, east, north] of the drawn devices, or null when none has a position. */
  bounds(): [number, number, number, number] | null {
    if (this.placed.length === 0) return null;
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    for (const i of this.placed) {
      const d = this.devices[i]!;
      w = Math.min(w, d.lng!);
      e = Math.max(e, d.lng!);
      s = Math.min(s, d.lat!);
      n = Math.max(n, d.lat!);
    }
    return [w, s, e, n];
  }

  getStats(): Readonly<DeviceLayerStats> {
    return this.stats;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private emit(): void {
    this.options.onStats?.(this.stats);
  }
}

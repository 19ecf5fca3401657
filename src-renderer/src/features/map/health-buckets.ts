import { HEALTH_NO_DATA, HEALTH_OFFLINE } from '@shared/contract';
import { HEALTH_ALARM_MAX, HEALTH_GOOD_MIN } from '@shared/domain';
import type { ExpressionSpecification } from 'maplibre-gl';

/**
 * What the map draws of a device's health byte (0–100, 254 no data, 255 offline): one of five
 * buckets. The bucket, not the byte, is what goes into feature state, so a device whose health
 * drifts from 91 to 88 costs nothing; only a change of colour is sent to the GPU.
 *
 * Bucket codes are ordered by severity, so "the worst device in a cluster" is the maximum code.
 * Alarm ranks above offline: a degrading device still running is the one an operator can save.
 */
export const Bucket = { good: 0, noData: 1, warn: 2, offline: 3, alarm: 4 } as const;
export type BucketName = keyof typeof Bucket;
export type BucketCode = (typeof Bucket)[BucketName];

/** In the order the legend lists them: best first. */
export const BUCKET_NAMES: readonly BucketName[] = ['good', 'warn', 'alarm', 'offline', 'noData'];

/** Sentinel for "no bucket sent yet" in a previous-bucket array. */
export const BUCKET_UNSET = 0xff;

export function bucketOf(health: number): BucketCode {
  if (health === HEALTH_OFFLINE) return Bucket.offline;
  if (health === HEALTH_NO_DATA || health > 100 || !(health >= 0)) return Bucket.noData;
  // The shared bands: the heatmap, the drawer and the core's health agree with the map.
  if (health <= HEALTH_ALARM_MAX) return Bucket.alarm;
  if (health < HEALTH_GOOD_MIN) return Bucket.warn;
  return Bucket.good;
}

/** Warning or alarm: a device still reporting whose health is falling ("only degrading"). */
export function isDegrading(code: number): boolean {
  return code === Bucket.warn || code === Bucket.alarm;
}

export function bucketName(code: number): BucketName {
  return BUCKET_NAMES.find((n) => Bucket[n] === code) ?? 'noData';
}

/** Colours on the dark map (the theme's --ok, --warn, --danger; greys for offline and no data). */
export const BUCKET_COLOURS: Record<BucketName, string> = {
  good: '#3fcf7a',
  warn: '#f5b02a',
  alarm: '#ff4d4f',
  offline: '#7a8494',
  noData: '#4f6e94',
};

/** `match` arms over bucket codes, falling back to the no-data colour. */
function matchBucket(input: ExpressionSpecification): ExpressionSpecification {
  return [
    'match',
    input,
    Bucket.good,
    BUCKET_COLOURS.good,
    Bucket.warn,
    BUCKET_COLOURS.warn,
    Bucket.alarm,
    BUCKET_COLOURS.alarm,
    Bucket.offline,
    BUCKET_COLOURS.offline,
    BUCKET_COLOURS.noData,
  ];
}

/** Device circles: colour from feature state `health` (a bucket code; unset = no data). */
export const deviceColour: ExpressionSpecification = matchBucket([
  'coalesce',
  ['feature-state', 'health'],
  Bucket.noData,
]);

/**
 * Per-point property of the clustered source: the device's bucket code when the source was last
 * refreshed. Clusters aggregate it with {@link clusterProperties}.
 */
export const SEVERITY_PROPERTY = 'sev';

/**
 * Cluster aggregates (supercluster map/reduce expressions): the worst bucket, and how many
 * devices are in alarm, warning or offline (shown in the cluster's tooltip).
 */
export const clusterProperties = {
  worst: ['max', ['get', SEVERITY_PROPERTY]],
  warn: ['+', ['case', ['==', ['get', SEVERITY_PROPERTY], Bucket.warn], 1, 0]],
  alarm: ['+', ['case', ['==', ['get', SEVERITY_PROPERTY], Bucket.alarm], 1, 0]],
  offline: ['+', ['case', ['==', ['get', SEVERITY_PROPERTY], Bucket.offline], 1, 0]],
} as const;

/** Cluster circles are coloured by their worst device; unclustered points of that source by their own. */
export const clusterColour: ExpressionSpecification = matchBucket([
  'coalesce',
  ['get', 'worst'],
  ['get', SEVERITY_PROPERTY],
  Bucket.noData,
]);

/** Counts per bucket (indexed by code) over the devices that have a position. */
export function countBuckets(health: Uint8Array | null, placed: ArrayLike<number>): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (let k = 0; k < placed.length; k++) {
    const h = health ? health[placed[k]!] : undefined;
    counts[h === undefined ? Bucket.noData : bucketOf(h)]!++;
  }
  return counts;
}

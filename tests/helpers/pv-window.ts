import { DEFAULT_DEVICE_KINDS } from '../../src-main/shared/domain';
import { metricLabels } from '../../src-main/core/predict/evidence';

/** The PV inverter model's window features, in the shipped manifest's order. */
export const FEATURES = [
  'ripple.mean',
  'ripple.max',
  'tempGradient.mean',
  'tempGradient.max',
  'packetLoss.mean',
  'packetLoss.max',
  'coverage',
  'irradiance.mean',
  'ambient.mean',
];
/** A healthy fleet's normalisation of those features. */
export const NORMAL = {
  mean: [0.8, 1.0, 0, 0.3, 0.3, 0.8, 0.98, 250, 18],
  std: [0.3, 0.35, 0.2, 0.3, 0.2, 0.6, 0.05, 300, 7],
};
const STEPS = 48;
export const PV_LABELS = metricLabels(DEFAULT_DEVICE_KINDS.find((k) => k.id === 'pv-inverter')!);

/** A healthy window with per-feature overrides `f(step) → value`. */
export function makeWindow(over: Record<string, (s: number) => number> = {}): Float32Array {
  const w = new Float32Array(STEPS * FEATURES.length);
  for (let s = 0; s < STEPS; s++)
    FEATURES.forEach((f, i) => {
      w[s * FEATURES.length + i] = over[f] ? over[f](s) : NORMAL.mean[i]!;
    });
  return w;
}

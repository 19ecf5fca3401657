import type { Degradation, DegradationMode } from './degradation';
import { gauss, hash2, hashString, hashTime, unit, valueNoise } from './noise';
import {
  DAY_MS,
  MINUTE_MS,
  ambient,
  ambientAnomaly,
  clearSkyGhi,
  cloudTransmission,
  cloudiness,
  cosZenith,
  declination,
  equationOfTime,
  regime,
  solarHour,
  yearAngle,
} from './physics';

/**
 * The PV inverter model: one report of one device at one simulated instant, computed from the
 * seed, the device and the time alone (no state carried between reports).
 *
 * - Power: capacity × DC/AC ratio × irradiance, derated by cell temperature, clipped at the
 *   inverter's AC rating.
 * - Internal temperature: a first-order lag (τ = 15 min) towards ambient + losses. The lag is a
 *   discrete exponential kernel over the last 40 minutes, so the gradient dT/dt = (T∞ − T)/τ is
 *   exact for that model and needs no stored state.
 * - DC-link ripple: the bus is kept energised at night for reactive-power support (Q at night),
 *   so ripple is ~0.5 % at night and up to ~1.4 % at full load on a healthy capacitor bank.
 * - Packet loss: a per-device floor, noise, and rare regional congestion.
 */

/** Indices into a sample. The order of the payload and of the pv-inverter kind's metrics. */
export const METRICS = ['ripple', 'tempGradient', 'packetLoss', 'power', 'ambient', 'irradiance'] as const;
export const RIPPLE = 0;
export const GRADIENT = 1;
export const LOSS = 2;
export const POWER = 3;
export const AMBIENT = 4;
export const IRRADIANCE = 5;

/** What the simulator needs of a device; registry devices fit as they are. */
export interface SimDevice {
  sn: string;
  kind: string;
  lng: number | null;
  lat: number | null;
  metadata?: Record<string, string>;
}

const MODE_CODE: Record<DegradationMode, number> = {
  'capacitor-ageing': 1,
  'loose-contact': 2,
  'fan-failure': 3,
};
const CAPACITOR = 1;
const LOOSE = 2;
const FAN = 3;

/** Where devices without coordinates are assumed to be: the city centre. */
const CITY_LNG = 120.16;
const CITY_LAT = 30.27;
/** Weather regions: cells of 0.15° (~15 km), so plants of one district share their clouds. */
const CELL_DEG = 0.15;

const TAU_MIN = 15;
const LAG_STEP_MS = 5 * MINUTE_MS;
const LAG_POINTS = 9;
/** Normalised weights of the exponential kernel at 0, 5, …, 40 minutes back. */
const LAG_WEIGHTS = (() => {
  const a = Math.exp(-LAG_STEP_MS / MINUTE_MS / TAU_MIN);
  const w = Array.from({ length: LAG_POINTS }, (_, j) => Math.pow(a, j));
  const sum = w.reduce((x, y) => x + y, 0);
  return Float64Array.from(w, (x) => x / sum);
})();

/** Irradiance below which an inverter sleeps (it needs a minimum string voltage and power). */
const WAKE_GHI = 12;
const FAN_SLOT_MS = 4 * MINUTE_MS;
const LOOSE_SLOT_MS = 2 * MINUTE_MS;
const CONGESTION_MS = 10 * MINUTE_MS;

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function numberFrom(text: string | undefined, fallback: number): number {
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** ESR growth of an ageing electrolytic bank: slow at first, accelerating toward the end. */
export function esrFactor(progress: number): number {
  return 1 + (4.5 * (Math.exp(3 * progress) - 1)) / (Math.exp(3) - 1);
}

export class FleetModel {
  readonly size: number;
  readonly sns: readonly string[];
  readonly capacityKw: Float64Array;

  private readonly cityKey: number;
  private readonly key: Uint32Array;
  private readonly dcAc: Float64Array;
  private readonly soiling: Float64Array;
  private readonly ripple0: Float64Array;
  private readonly loss0: Float64Array;
  private readonly heatRise: Float64Array;
  private readonly plant: Int32Array;

  private readonly plantLng: Float64Array;
  private readonly plantSinLat: Float64Array;
  private readonly plantCosLat: Float64Array;
  private readonly plantKey: Uint32Array;
  private readonly plantCell: Uint32Array;
  private readonly plantRoof: Uint8Array;

  private readonly mode: Uint8Array;
  private readonly onset: Float64Array;
  private readonly failure: Float64Array;

  // Scratch for one sample's lag window (reused: the hot path allocates nothing).
  private readonly lagGhi = new Float64Array(LAG_POINTS);
  private readonly lagAmb = new Float64Array(LAG_POINTS);

  constructor(devices: readonly SimDevice[], seed: number) {
    const n = devices.length;
    this.size = n;
    this.sns = devices.map((d) => d.sn);
    const seedKey = hash2(0x51a7_0e11, seed);
    this.cityKey = hash2(seedKey, 0xc17);
    this.key = new Uint32Array(n);
    this.capacityKw = new Float64Array(n);
    this.dcAc = new Float64Array(n);
    this.soiling = new Float64Array(n);
    this.ripple0 = new Float64Array(n);
    this.loss0 = new Float64Array(n);
    this.heatRise = new Float64Array(n);
    this.plant = new Int32Array(n);
    this.mode = new Uint8Array(n);
    this.onset = new Float64Array(n);
    this.failure = new Float64Array(n);

    const plants = new Map<string, number>();
    const pLng: number[] = [];
    const pLat: number[] = [];
    const pKey: number[] = [];
    const pCell: number[] = [];
    const pRoof: number[] = [];
    devices.forEach((d, i) => {
      const lng = d.lng ?? CITY_LNG;
      const lat = d.lat ?? CITY_LAT;
      const meta = d.metadata ?? {};
      const plantName = meta.plant ?? `${lng.toFixed(3)},${lat.toFixed(3)}`;
      let p = plants.get(plantName);
      if (p === undefined) {
        p = pLng.length;
        plants.set(plantName, p);
        // A plant's inverters stand together: the plant's first device gives its place.
        pLng.push(lng);
        pLat.push(lat);
        pKey.push(hash2(seedKey, hashString(`plant/${plantName}`)));
        const cx = Math.floor(lng / CELL_DEG);
        const cy = Math.floor(lat / CELL_DEG);
        pCell.push(hash2(hash2(seedKey, cx), cy));
        pRoof.push(meta.plantType === 'ground' ? 0 : 1);
      }
      this.plant[i] = p;
      const k = hash2(seedKey, hashString(d.sn));
      this.key[i] = k;
      this.capacityKw[i] = numberFrom(meta.capacityKw, 100);
      this.dcAc[i] = clamp(numberFrom(meta.dcAcRatio, 1 + 0.3 * unit(hash2(k, 1))), 0.8, 1.6);
      this.soiling[i] = 0.93 + 0.06 * unit(hash2(k, 2));
      this.ripple0[i] = 0.85 + 0.55 * unit(hash2(k, 3));
      this.loss0[i] = 0.05 + 0.4 * unit(hash2(k, 4));
      this.heatRise[i] = 12 + 5 * unit(hash2(k, 5));
      this.onset[i] = Infinity;
      this.failure[i] = Infinity;
    });
    this.plantLng = Float64Array.from(pLng);
    this.plantSinLat = Float64Array.from(pLat, (x) => Math.sin((x * Math.PI) / 180));
    this.plantCosLat = Float64Array.from(pLat, (x) => Math.cos((x * Math.PI) / 180));
    this.plantKey = Uint32Array.from(pKey);
    this.plantCell = Uint32Array.from(pCell);
    this.plantRoof = Uint8Array.from(pRoof);
  }

  /** Puts the degradations in place (replacing any earlier plan). */
  setPlan(plan: readonly Degradation[]): void {
    this.mode.fill(0);
    this.onset.fill(Infinity);
    this.failure.fill(Infinity);
    for (const d of plan) {
      this.mode[d.index] = MODE_CODE[d.mode];
      this.onset[d.index] = d.onsetAt;
      this.failure[d.index] = d.failureAt;
    }
  }

  /** 0 … 1 along the way from onset to failure (1 from the failure on). */
  private progress(i: number, t: number): number {
    const on = this.onset[i]!;
    if (t < on) return 0;
    const fail = this.failure[i]!;
    return t >= fail ? 1 : (t - on) / (fail - on);
  }

  /** AC output, kW, at time `t` for the given irradiance and air temperature. */
  private power(i: number, t: number, ghi: number, amb: number): number {
    if (ghi < WAKE_GHI) return 0;
    const cap = this.capacityKw[i]!;
    const cellTemp = amb + ghi * (this.plantRoof[this.plant[i]!] ? 0.032 : 0.028);
    const dc = cap * this.dcAc[i]! * this.soiling[i]! * (ghi / 1000) * (1 - 0.0037 * (cellTemp - 25));
    let p = dc * 0.945;
    let limit = cap;
    if (this.mode[i] === FAN && t >= this.onset[i]!) {
      // Over-temperature derating as the fan weakens.
      const pr = this.progress(i, t);
      if (pr > 0.6) limit = cap * (1 - (0.35 * (pr - 0.6)) / 0.4);
    }
    if (p > limit) p = limit;
    return p > 0 ? p : 0;
  }

  /** Steady-state internal temperature the inverter is heading for. */
  private targetTemp(i: number, t: number, ghi: number, amb: number, p: number): number {
    let rise = 0;
    if (p > 0) {
      let m = 1;
      if (this.mode[i] === FAN) {
        const pr = this.progress(i, t);
        m = 1 + 1.5 * pr * pr;
      }
      rise = this.heatRise[i]! * m * (0.15 + (0.85 * p) / this.capacityKw[i]!);
    }
    return amb + rise + ghi * 0.004;
  }

  /**
   * Writes the report of device `i` at simulated time `t` into `out` (order of {@link METRICS})
   * and returns true; returns false when the device sends nothing (a loose contact dropped the
   * report, or the device has failed).
   */
  sample(i: number, t: number, out: Float64Array): boolean {
    const k = this.key[i]!;
    const mode = this.mode[i]!;
    const onset = this.onset[i]!;
    const fail = this.failure[i]!;
    // A failed inverter has tripped and its logger with it: silence is what the hub's offline
    // detection must notice, and the ground truth's failure time is when it starts.
    if (t >= fail) return false;
    const degrading = mode !== 0 && t >= onset;

    const p = this.plant[i]!;
    const lng = this.plantLng[p]!;
    const sinLat = this.plantSinLat[p]!;
    const cosLat = this.plantCosLat[p]!;
    const cell = this.plantCell[p]!;
    const pk = this.plantKey[p]!;

    // Quantities that do not move within the 40-minute lag window are evaluated once.
    const g = yearAngle(t);
    const decl = declination(g);
    const eot = equationOfTime(g);
    const reg = regime(t, this.cityKey, cell, g);
    const anomaly = ambientAnomaly(t, this.cityKey, cell);

    let tInt = 0;
    let target0 = 0;
    let power0 = 0;
    for (let j = 0; j < LAG_POINTS; j++) {
      const s = t - j * LAG_STEP_MS;
      const hour = solarHour(s, lng, eot);
      const ghi =
        clearSkyGhi(cosZenith(sinLat, cosLat, decl, hour)) * cloudTransmission(cloudiness(s, reg, cell, pk));
      const amb = ambient(g, hour, reg, anomaly);
      this.lagGhi[j] = ghi;
      this.lagAmb[j] = amb;
      const pw = this.power(i, s, ghi, amb);
      const target = this.targetTemp(i, s, ghi, amb, pw);
      tInt += LAG_WEIGHTS[j]! * target;
      if (j === 0) {
        target0 = target;
        power0 = pw;
      }
    }
    const ghi0 = this.lagGhi[0]!;
    const amb0 = this.lagAmb[0]!;
    const cap = this.capacityKw[i]!;
    const load = power0 / cap;

    const h = hashTime(k, t);
    let gradient = (target0 - tInt) / TAU_MIN + 0.03 * gauss(hash2(h, 1));
    let ripple = this.ripple0[i]! * (0.55 + 0.45 * load) * (1 + 0.03 * gauss(hash2(h, 2)));
    let loss = this.loss0[i]! + 0.15 * Math.abs(gauss(hash2(h, 3)));
    const congestion = valueNoise(cell ^ 0x7e7, t / CONGESTION_MS);
    if (congestion > 0.97) loss += ((congestion - 0.97) / 0.03) * 1.8;

    if (degrading) {
      const pr = (t - onset) / (fail - onset);
      if (mode === CAPACITOR) {
        // Daily wobble (ESR falls when the capacitor is warm), rising on average.
        const wobble = 1 + 0.08 * (valueNoise(k ^ 0xe5, t / DAY_MS) - 0.5);
        ripple *= esrFactor(pr) * wobble;
      } else if (mode === FAN) {
        // A worn bearing stalls now and then, more often as it wears; heat builds only under load.
        const slot = hash2(k ^ 0xfa7, Math.floor(t / FAN_SLOT_MS));
        const stalled = unit(slot) < 0.05 + 0.6 * pr;
        gradient +=
          load * (0.6 * pr * pr + (stalled ? (1 + 2.5 * unit(hash2(slot, 1))) * (0.4 + 0.6 * pr) : 0));
      } else if (mode === LOOSE) {
        // Intermittent contact: bursts of lost packets and local heating, more frequent over time.
        const rate = 0.01 + 0.45 * pr * pr;
        const slotNo = Math.floor(t / LOOSE_SLOT_MS);
        const ev = hash2(k ^ 0x1005e, slotNo);
        loss += 0.6 * pr;
        if (unit(ev) < rate) {
          const u = unit(hash2(ev, 1));
          if (unit(hash2(h, 5)) < 0.25 + 0.5 * u) return false;
          loss += 4 + 40 * u * (0.4 + 0.6 * pr);
          gradient += (0.6 + 2.4 * u) * (0.35 + 0.65 * load);
        } else {
          const prev = hash2(k ^ 0x1005e, slotNo - 1);
          if (unit(prev) < rate) gradient -= 0.4 * (0.6 + 2.4 * unit(hash2(prev, 1))) * (0.35 + 0.65 * load);
        }
      }
    }

    out[RIPPLE] = clamp(ripple, 0, 50);
    out[GRADIENT] = clamp(gradient, -30, 30);
    out[LOSS] = clamp(loss, 0, 100);
    out[POWER] = power0 > 0 ? clamp(power0 * (1 + 0.005 * gauss(hash2(h, 6))), 0, cap) : 0;
    out[AMBIENT] = clamp(amb0 + 0.15 * gauss(hash2(h, 7)), -40, 60);
    out[IRRADIANCE] = ghi0 > 1 ? clamp(ghi0 * (1 + 0.01 * gauss(hash2(h, 8))), 0, 1500) : 0;
    return true;
  }
}

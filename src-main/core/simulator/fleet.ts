import type { DeviceFields } from '@shared/contract';
import {
  DISTRICTS,
  type District,
  type Street,
  pickDistrict,
  pickStreet,
  pointNear,
  streetsOf,
} from '../demo/geo';
import { Rng, hash32 } from '../demo/prng';
import { world } from '../demo/world';
import type { SimDevice } from './model';

/**
 * The simulated installed base: PV inverters across the demo city. The demo world's rooftop plants
 * come first, exactly as the demo tickets know them (same SNs, sites and places, whatever the
 * seed), so a preventive ticket of the demo data and a live device are the same thing. The rest
 * are further plants generated from the seed, one plant after another, so the fleet of N devices
 * is always the first N devices of any larger fleet of the same seed.
 */

export const FLEET_KIND = 'pv-inverter';
export const DEFAULT_FLEET_SIZE = 2_000;
export const MAX_FLEET_SIZE = 20_000;

export interface FleetDevice extends SimDevice {
  sn: string;
  kind: typeof FLEET_KIND;
  site: string;
  /** District (区/县/市) of the demo city. */
  region: string;
  /** WGS84. */
  lng: number;
  lat: number;
  model: string;
  /** `YYYY-MM-DD`. */
  installDate: string;
  /** What the physics reads (`plant`, `plantType`, `capacityKw`, `dcAcRatio`) and what people read. */
  metadata: Record<string, string>;
}

export interface FleetOptions {
  /** Devices, 1 … {@link MAX_FLEET_SIZE}; default {@link DEFAULT_FLEET_SIZE}. */
  count?: number;
  seed?: number;
}

interface InverterModel {
  name: string;
  kw: number;
}

/** String inverters for rooftops (the demo world's models) and central-string ones for ground plants. */
const ROOFTOP_MODELS: InverterModel[] = [
  { name: 'GSI-110KTL 组串式逆变器（110kW）', kw: 110 },
  { name: 'GSI-60KTL 组串式逆变器（60kW）', kw: 60 },
  { name: 'GSI-225KTL 组串式逆变器（225kW）', kw: 225 },
  { name: 'HPC-50K 组串式逆变器（50kW）', kw: 50 },
];
const GROUND_MODELS: InverterModel[] = [
  { name: 'GSI-225KTL 组串式逆变器（225kW）', kw: 225 },
  { name: 'GSI-320KTL 组串式逆变器（320kW）', kw: 320 },
];

const OWNERS = [
  '同创',
  '佳禾',
  '鑫源',
  '德润',
  '华盛',
  '永安',
  '正泰',
  '广源',
  '凯达',
  '博远',
  '耀华',
  '鸿运',
  '安泰',
  '兴业',
  '晨光',
  '龙翔',
];
const TRADES = [
  '纺织',
  '物流',
  '机械',
  '汽配',
  '食品',
  '包装',
  '电子',
  '化纤',
  '家居',
  '五金',
  '电器',
  '建材',
];
const ROOFS = ['厂房屋顶', '仓库屋顶', '车间屋顶', '物流中心屋顶'];
const GROUND_TYPES = ['农光互补', '渔光互补', '林光互补'];
/** Hilly or rural districts where ground-mounted plants stand. */
const RURAL = new Set(['富阳区', '临安区', '桐庐县', '建德市', '淳安县', '萧山区']);

const M_PER_DEG_LAT = 111_320;

function jitter(rng: Rng, lng: number, lat: number, metres: number): { lng: number; lat: number } {
  const r = metres * Math.sqrt(rng.next());
  const a = rng.next() * 2 * Math.PI;
  return {
    lng: round6(lng + (r * Math.cos(a)) / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180))),
    lat: round6(lat + (r * Math.sin(a)) / M_PER_DEG_LAT),
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Commissioning date between 2016-01 and 2025-06 from a 32-bit hash. */
function dateFrom(h: number): string {
  const from = Date.UTC(2016, 0, 1);
  const to = Date.UTC(2025, 5, 30);
  const day = Math.floor((h / 4294967296) * ((to - from) / 86_400_000));
  return new Date(from + day * 86_400_000).toISOString().slice(0, 10);
}

/** A few inverters were replaced after a fault: a later install date than their plant's. */
function installDateOf(plantDate: string, h: number): string {
  if (h % 20 !== 0) return plantDate;
  const from = Date.parse(plantDate);
  const to = Date.UTC(2026, 0, 1);
  const day = Math.floor(((h >>> 8) / 16777216) * Math.max(1, (to - from) / 86_400_000));
  return new Date(from + day * 86_400_000).toISOString().slice(0, 10);
}

function kwOf(model: string): number {
  const m = /（(\d+)kW）/.exec(model);
  return m ? Number(m[1]) : 100;
}

function worldInverters(): FleetDevice[] {
  const list = world().devices['pv-inverter'];
  const perSite = new Map<string, number>();
  for (const d of list) perSite.set(d.site.code, (perSite.get(d.site.code) ?? 0) + 1);
  return list.map((d) => {
    const site = d.site;
    const kw = kwOf(d.model);
    const mwp = Number.parseFloat(site.capacity ?? '') || (kw * perSite.get(site.code)!) / 1000;
    const dcAc = Math.min(1.6, Math.max(0.8, (mwp * 1000) / (kw * perSite.get(site.code)!)));
    const h = hash32(`fleet/${d.sn}`);
    const place = jitter(new Rng(h), site.location.lng, site.location.lat, 60);
    const plantDate = dateFrom(hash32(`fleet/plant/${site.code}`));
    return {
      sn: d.sn,
      kind: FLEET_KIND,
      site: site.name,
      region: site.district.name,
      lng: place.lng,
      lat: place.lat,
      model: d.model,
      installDate: installDateOf(plantDate, h),
      metadata: {
        plant: site.code,
        plantType: 'rooftop',
        capacityKw: String(kw),
        dcAcRatio: dcAc.toFixed(2),
        label: d.label,
        owner: site.owner,
        address: site.address,
        gridId: site.location.gridId ?? '',
        origin: 'demo-world',
      },
    };
  });
}

interface Plant {
  code: string;
  name: string;
  owner: string;
  district: District;
  street: Street;
  type: 'rooftop' | 'ground';
  lng: number;
  lat: number;
  gridId: string;
  model: InverterModel;
  inverters: number;
  dcAc: number;
  date: string;
}

function nextPlant(rng: Rng, no: number, usedNames: Set<string>): Plant {
  const ground = rng.chance(0.12);
  let district: District;
  if (ground) {
    const rural = DISTRICTS.filter((d) => RURAL.has(d.name));
    district = rural.length > 0 ? rng.pick(rural) : pickDistrict(rng, 'industry');
  } else {
    district = pickDistrict(rng, 'industry');
  }
  const street = ground ? rng.pick(streetsOf(district)) : pickStreet(rng, district);
  const at = pointNear(rng, street, ground ? 3 : 1.2);
  const model = rng.pick(ground ? GROUND_MODELS : ROOFTOP_MODELS);
  const dcAc = Math.round(rng.float(1.05, 1.35) * 100) / 100;
  const mwp = ground ? rng.int(80, 400) / 10 : rng.int(5, 80) / 10;
  const inverters = Math.max(2, Math.min(120, Math.round((mwp * 1000) / (model.kw * dcAc))));
  const code = `PV${String(no).padStart(4, '0')}`;
  let owner: string;
  let name: string;
  if (ground) {
    owner = `杭州${street.name.replace(/(街道|镇|乡)$/, '')}新能源开发有限公司`;
    name = `${district.name}${street.name}${rng.pick(GROUND_TYPES)}光伏电站（${mwp.toFixed(1)}MWp）`;
  } else {
    const firm = rng.pick(OWNERS) + rng.pick(TRADES);
    owner = `杭州${firm}有限公司`;
    name = `${street.name}${firm}${rng.pick(ROOFS)}分布式光伏电站（${mwp.toFixed(1)}MWp）`;
  }
  if (usedNames.has(name)) name = `${name}${code}`;
  usedNames.add(name);
  return {
    code,
    name,
    owner,
    district,
    street,
    type: ground ? 'ground' : 'rooftop',
    lng: at.lng,
    lat: at.lat,
    gridId: at.gridId,
    model,
    inverters,
    dcAc,
    date: dateFrom(rng.u32()),
  };
}

export function generateFleet(options: FleetOptions = {}): FleetDevice[] {
  const count = options.count ?? DEFAULT_FLEET_SIZE;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FLEET_SIZE)
    throw new RangeError(`fleet size must be an integer from 1 to ${MAX_FLEET_SIZE}, not ${count}`);
  if (!Number.isInteger(seed)) throw new RangeError(`fleet seed must be an integer, not ${seed}`);

  const fleet = worldInverters().slice(0, count);
  const usedNames = new Set(fleet.map((d) => d.site));
  const rng = Rng.derive(seed >>> 0, 'watchfloor/simulator/fleet');
  for (let no = 1; fleet.length < count; no++) {
    const plant = nextPlant(rng, no, usedNames);
    const spread = plant.type === 'ground' ? 400 : 60;
    for (let k = 1; k <= plant.inverters && fleet.length < count; k++) {
      const sn = `${plant.code}-${String(k).padStart(3, '0')}`;
      const place = jitter(rng, plant.lng, plant.lat, spread);
      fleet.push({
        sn,
        kind: FLEET_KIND,
        site: plant.name,
        region: plant.district.name,
        lng: place.lng,
        lat: place.lat,
        model: plant.model.name,
        installDate: installDateOf(plant.date, rng.u32()),
        metadata: {
          plant: plant.code,
          plantType: plant.type,
          capacityKw: String(plant.model.kw),
          dcAcRatio: plant.dcAc.toFixed(2),
          label: `${k}#逆变器`,
          owner: plant.owner,
          address: `杭州市${plant.district.name}${plant.street.name}`,
          gridId: plant.gridId,
          origin: 'simulator',
        },
      });
    }
  }
  return fleet;
}

/** The fleet as registry entries (`devices/upsert`, `devices/import` as JSON). */
export function fleetDeviceFields(fleet: readonly FleetDevice[]): DeviceFields[] {
  return fleet.map((d) => ({
    sn: d.sn,
    kind: d.kind,
    site: d.site,
    region: d.region,
    lng: d.lng,
    lat: d.lat,
    model: d.model,
    installDate: d.installDate,
    metadata: { ...d.metadata },
  }));
}

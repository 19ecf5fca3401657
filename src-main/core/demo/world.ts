import type { GeoLocation } from '@shared/contract';
import {
  DISTRICTS,
  type District,
  type Street,
  pickDistrict,
  pickStreet,
  pointNear,
  roadNumber,
  streetsOf,
} from './geo';
import { Rng } from './prng';

/**
 * The fixed installed base of the demo city: rooftop PV plants with their inverters, wind farms in
 * the hills, battery factories with their lines and stations, hospitals with imaging devices. It
 * does not depend on the demo seed, so the same devices come back in every data set (and the same
 * device collects predictive and fault tickets over time).
 */
export type DeviceKind = 'pv-inverter' | 'wind-turbine' | 'battery-line' | 'medical-imaging';

export interface Site {
  kind: DeviceKind;
  /** Full name, e.g. `恒达纺织厂房屋顶光伏电站`. */
  name: string;
  /** Name used in titles. */
  short: string;
  owner: string;
  district: District;
  street: Street;
  address: string;
  location: GeoLocation;
  /** Plant code for battery factories (`QJ`), farm code for wind farms (`LMS`). */
  code: string;
  capacity?: string;
}

export interface Device {
  kind: DeviceKind;
  sn: string;
  /** `3#逆变器`, `07号风机`, `OP080 激光焊接工位`, `128层螺旋CT`. */
  label: string;
  model: string;
  site: Site;
  /** Battery lines: which line the station belongs to. */
  line?: BatteryLine;
  /** Battery stations: the process step it performs. */
  step?: string;
}

export interface BatteryLine {
  factory: Site;
  code: string;
  name: string;
  kind: 'cell' | 'module' | 'pack';
  steps: readonly string[];
}

export interface World {
  sites: Site[];
  devices: Record<DeviceKind, Device[]>;
  lines: BatteryLine[];
  devicesByLine: Map<BatteryLine, Device[]>;
}

const OWNER_CORE = [
  '恒达',
  '华鼎',
  '万晟',
  '钱江',
  '东方',
  '富春',
  '远洋',
  '天成',
  '金鹰',
  '汇通',
  '宏达',
  '新华',
  '中联',
  '瑞丰',
  '永盛',
  '国泰',
  '立信',
  '佳源',
  '荣盛',
  '长运',
  '润德',
  '锦程',
  '海越',
  '明辉',
];
const OWNER_TRADE = [
  '纺织',
  '物流',
  '机械',
  '汽配',
  '食品',
  '包装',
  '电子',
  '化纤',
  '印染',
  '家居',
  '五金',
  '服饰',
  '轴承',
  '电器',
  '医药',
  '冷链',
];
const PARKS: Record<string, string[]> = {
  萧山区: ['萧山经济技术开发区', '萧山临空经济示范区', '瓜沥工业园区'],
  钱塘区: ['钱塘新区下沙园区', '钱塘新区大江东产业集聚区', '临江高新技术产业园'],
  临平区: ['临平经济技术开发区', '临平新城智造园'],
  余杭区: ['余杭经济技术开发区', '仁和先进制造业基地'],
  富阳区: ['富阳经济技术开发区', '银湖科技城'],
  滨江区: ['滨江高新技术产业开发区', '物联网小镇'],
  临安区: ['青山湖科技城'],
  拱墅区: ['祥符智慧产业园', '半山工业园'],
  西湖区: ['三墩科技园', '之江文化创意园'],
  上城区: ['九堡智造园', '丁兰产业园'],
  桐庐县: ['桐庐经济开发区'],
  建德市: ['建德经济开发区'],
  淳安县: ['千岛湖经济开发区'],
};

const INVERTER_MODELS = [
  'GSI-110KTL 组串式逆变器（110kW）',
  'GSI-60KTL 组串式逆变器（60kW）',
  'GSI-225KTL 组串式逆变器（225kW）',
  'HPC-50K 组串式逆变器（50kW）',
];

const WIND_FARMS: { name: string; code: string; district: string; street: string; model: string }[] = [
  { name: '龙门山风电场', code: 'LMS', district: '富阳区', street: '场口镇', model: '2.5MW 双馈风电机组' },
  { name: '分水风电场', code: 'FSS', district: '桐庐县', street: '分水镇', model: '2.5MW 双馈风电机组' },
  { name: '梅城风电场', code: 'MCS', district: '建德市', street: '梅城镇', model: '3.6MW 直驱风电机组' },
  { name: '寿昌风电场', code: 'SCS', district: '建德市', street: '寿昌镇', model: '3.0MW 双馈风电机组' },
  { name: '石林风电场', code: 'SLS', district: '淳安县', street: '石林镇', model: '3.6MW 直驱风电机组' },
  { name: '於潜风电场', code: 'YQS', district: '临安区', street: '於潜镇', model: '2.5MW 双馈风电机组' },
];

const FACTORIES: { name: string; short: string; code: string; district: string; street: string }[] = [
  { name: '杭州钱江锂电科技有限公司', short: '钱江锂电', code: 'QJ', district: '钱塘区', street: '临江街道' },
  { name: '浙江恒储新能源有限公司', short: '恒储新能源', code: 'HC', district: '萧山区', street: '瓜沥镇' },
  { name: '杭州安驰动力电池有限公司', short: '安驰动力', code: 'AC', district: '临平区', street: '崇贤街道' },
  { name: '浙江蓝海储能科技有限公司', short: '蓝海储能', code: 'LH', district: '余杭区', street: '仁和街道' },
  { name: '杭州拓源电池系统有限公司', short: '拓源电池', code: 'TY', district: '富阳区', street: '银湖街道' },
];

export const CELL_STEPS = [
  '搅拌',
  '涂布',
  '辊压',
  '分切',
  '叠片',
  '极耳焊接',
  '入壳',
  '激光焊接',
  '烘烤',
  '注液',
  '化成',
  '分容',
  '氦检',
  '密封钉焊接',
];
export const MODULE_STEPS = [
  '电芯上料扫码',
  '等离子清洗',
  '涂胶',
  '电芯堆叠',
  '极柱激光焊接',
  '汇流排焊接',
  '绝缘耐压测试',
  '模组EOL测试',
];
export const PACK_STEPS = [
  '模组入箱',
  '螺栓拧紧',
  'BMS装配',
  '高压线束装配',
  '气密测试',
  '绝缘测试',
  'PACK EOL测试',
  '下线检验',
];

const LINES: { code: string; name: string; kind: BatteryLine['kind']; steps: readonly string[] }[] = [
  { code: 'C1', name: '电芯一线', kind: 'cell', steps: CELL_STEPS },
  { code: 'C2', name: '电芯二线', kind: 'cell', steps: CELL_STEPS },
  { code: 'M1', name: '模组线', kind: 'module', steps: MODULE_STEPS },
  { code: 'P1', name: 'PACK一线', kind: 'pack', steps: PACK_STEPS },
  { code: 'P2', name: 'PACK二线', kind: 'pack', steps: PACK_STEPS },
];

const HOSPITAL_KINDS = ['人民医院', '中医院', '第一人民医院', '妇幼保健院', '中西医结合医院', '第二人民医院'];
const IMAGING: { label: string; model: string; prefix: string; weight: number }[] = [
  { label: '64排螺旋CT', model: '64排螺旋CT', prefix: 'CTS', weight: 3 },
  { label: '128层螺旋CT', model: '128层螺旋CT', prefix: 'CTS', weight: 3 },
  { label: '256排宽体CT', model: '256排宽体CT', prefix: 'CTW', weight: 1 },
  { label: '1.5T磁共振', model: '1.5T 超导磁共振（MRI）', prefix: 'MRS', weight: 2 },
  { label: '3.0T磁共振', model: '3.0T 超导磁共振（MRI）', prefix: 'MRX', weight: 2 },
  { label: 'DR', model: '数字化X射线摄影系统（DR）', prefix: 'DRS', weight: 2 },
  { label: 'DSA', model: '血管造影系统（DSA）', prefix: 'DSA', weight: 1 },
];

function districtNamed(name: string): District {
  const d = DISTRICTS.find((x) => x.name === name);
  if (!d) throw new Error(`unknown district ${name}`);
  return d;
}

function streetNamed(d: District, name: string): Street {
  return streetsOf(d).find((s) => s.name === name) ?? streetsOf(d)[0]!;
}

function siteAt(
  rng: Rng,
  d: District,
  street: Street,
  spreadKm: number,
): { address: string; location: GeoLocation } {
  const road = rng.pick(d.roads);
  const address = `杭州市${d.name}${street.name}${road}${roadNumber(rng)}号`;
  const p = pointNear(rng, street, spreadKm);
  return { address, location: { lng: p.lng, lat: p.lat, address, gridId: p.gridId } };
}

let cached: World | null = null;

export function world(): World {
  if (cached) return cached;
  const rng = new Rng(0x48e2_0a11);
  const sites: Site[] = [];
  const devices: Record<DeviceKind, Device[]> = {
    'pv-inverter': [],
    'wind-turbine': [],
    'battery-line': [],
    'medical-imaging': [],
  };
  const usedSn = new Set<string>();
  const uniqueSn = (make: () => string): string => {
    for (;;) {
      const sn = make();
      if (!usedSn.has(sn)) {
        usedSn.add(sn);
        return sn;
      }
    }
  };

  // Rooftop PV on factories and logistics parks.
  const owners = new Set<string>();
  for (let i = 0; i < 48; i++) {
    const d = pickDistrict(rng, 'industry');
    const street = pickStreet(rng, d);
    let owner: string;
    do owner = rng.pick(OWNER_CORE) + rng.pick(OWNER_TRADE);
    while (owners.has(owner));
    owners.add(owner);
    const park = rng.pick(PARKS[d.name] ?? [`${d.name}工业园`]);
    const roof = rng.pick(['厂房屋顶', '仓库屋顶', '车间屋顶', '物流中心屋顶']);
    const mw = (rng.int(8, 65) / 10).toFixed(1);
    const at = siteAt(rng, d, street, 1.0);
    const site: Site = {
      kind: 'pv-inverter',
      name: `${owner}${roof}分布式光伏电站（${mw}MWp）`,
      short: `${owner}屋顶光伏`,
      owner: `${park}·杭州${owner}有限公司`,
      district: d,
      street,
      address: `${at.address}（${park}）`,
      location: { ...at.location, address: `${at.address}（${park}）` },
      code: `PV${String(i + 1).padStart(2, '0')}`,
      capacity: `${mw}MWp`,
    };
    sites.push(site);
    const n = Math.max(4, Math.round(Number(mw) * rng.float(2.5, 4)));
    const model = rng.pick(INVERTER_MODELS);
    for (let k = 1; k <= n; k++) {
      devices['pv-inverter'].push({
        kind: 'pv-inverter',
        sn: uniqueSn(() => `INV-${rng.int(10000, 99999)}`),
        label: `${k}#逆变器`,
        model,
        site,
      });
    }
  }

  // Wind farms in the hills of the western counties.
  for (const f of WIND_FARMS) {
    const d = districtNamed(f.district);
    const street = streetNamed(d, f.street);
    const at = siteAt(rng, d, street, 2.0);
    const site: Site = {
      kind: 'wind-turbine',
      name: f.name,
      short: f.name,
      owner: `杭州${f.name.replace('风电场', '')}新能源开发有限公司`,
      district: d,
      street,
      address: `杭州市${d.name}${street.name}${f.name}`,
      location: { ...at.location, address: `杭州市${d.name}${street.name}${f.name}` },
      code: f.code,
      capacity: f.model,
    };
    sites.push(site);
    const n = rng.int(12, 24);
    for (let k = 1; k <= n; k++) {
      const no = String(k).padStart(2, '0');
      devices['wind-turbine'].push({
        kind: 'wind-turbine',
        sn: `WTG-${f.code}-${no}`,
        label: `${no}号风机`,
        model: f.model,
        site,
      });
    }
  }

  // Battery factories: lines and their stations.
  const lines: BatteryLine[] = [];
  const devicesByLine = new Map<BatteryLine, Device[]>();
  for (const f of FACTORIES) {
    const d = districtNamed(f.district);
    const street = streetNamed(d, f.street);
    const park = rng.pick(PARKS[d.name] ?? [`${d.name}工业园`]);
    const at = siteAt(rng, d, street, 0.8);
    const site: Site = {
      kind: 'battery-line',
      name: f.name,
      short: f.short,
      owner: f.name,
      district: d,
      street,
      address: `${at.address}（${park}）`,
      location: { ...at.location, address: `${at.address}（${park}）` },
      code: f.code,
    };
    sites.push(site);
    for (const l of LINES) {
      const line: BatteryLine = { factory: site, code: l.code, name: l.name, kind: l.kind, steps: l.steps };
      lines.push(line);
      const list: Device[] = [];
      l.steps.forEach((step, i) => {
        const op = `OP${String((i + 1) * 10).padStart(3, '0')}`;
        list.push({
          kind: 'battery-line',
          sn: `BLS-${f.code}${l.code}-${op}`,
          label: `${l.name} ${op} ${step}工位`,
          model: `${step}工位`,
          site,
          line,
          step,
        });
      });
      devicesByLine.set(line, list);
      devices['battery-line'].push(...list);
    }
  }

  // Hospitals with imaging devices.
  const hospitalNames = new Set<string>();
  for (let i = 0; i < 16; i++) {
    const d = pickDistrict(rng, 'population');
    let name: string;
    do name = `杭州市${d.name.replace(/[区县市]$/, '')}${rng.pick(HOSPITAL_KINDS)}`;
    while (hospitalNames.has(name));
    hospitalNames.add(name);
    const street = pickStreet(rng, d);
    const at = siteAt(rng, d, street, 0.6);
    const site: Site = {
      kind: 'medical-imaging',
      name,
      short: name.replace('杭州市', ''),
      owner: name,
      district: d,
      street,
      address: at.address,
      location: at.location,
      code: `H${String(i + 1).padStart(2, '0')}`,
    };
    sites.push(site);
    const n = rng.int(2, 5);
    for (let k = 0; k < n; k++) {
      const kind = rng.weighted(
        IMAGING,
        IMAGING.map((m) => m.weight),
      );
      devices['medical-imaging'].push({
        kind: 'medical-imaging',
        sn: uniqueSn(() => `${kind.prefix}${rng.int(17, 24)}${rng.digits(5)}`),
        label: `${kind.label}（${rng.pick(['放射科', '影像中心', '急诊影像', '体检中心'])}${rng.int(1, 6)}号机房）`,
        model: kind.model,
        site,
      });
    }
  }

  cached = { sites, devices, lines, devicesByLine };
  return cached;
}

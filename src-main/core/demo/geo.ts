import type { GeoLocation } from '@shared/contract';
import { Rng, hash32 } from './prng';

/**
 * The demo city: Hangzhou. Each district is a hand-made centre and radius (not a boundary
 * dataset), with real sub-district (街道/镇) and road names so addresses read naturally. Points are
 * WGS84.
 */
export interface District {
  name: string;
  /** Administrative division code, the first part of a grid id. */
  code: string;
  lng: number;
  lat: number;
  /** Rough radius in km around the centre where points are placed. */
  radiusKm: number;
  streets: readonly string[];
  roads: readonly string[];
  /** Community (社区) name stems used in this district. */
  communities: readonly string[];
  /** Relative weight of citizen calls (population). */
  population: number;
  /** Relative weight of factories and rooftop PV (industry). */
  industry: number;
}

export const HANGZHOU_BBOX = { minLng: 118.34, maxLng: 120.73, minLat: 29.18, maxLat: 30.57 } as const;

export const DISTRICTS: readonly District[] = [
  {
    name: '上城区',
    code: '330102',
    lng: 120.2,
    lat: 30.27,
    radiusKm: 5.5,
    streets: [
      '清波街道',
      '湖滨街道',
      '小营街道',
      '望江街道',
      '南星街道',
      '紫阳街道',
      '凯旋街道',
      '采荷街道',
      '闸弄口街道',
      '四季青街道',
      '笕桥街道',
      '彭埠街道',
      '九堡街道',
      '丁兰街道',
    ],
    roads: [
      '解放路',
      '中山南路',
      '望江路',
      '江城路',
      '秋涛路',
      '凯旋路',
      '景芳路',
      '钱江路',
      '新塘路',
      '采荷路',
      '机场路',
      '天城路',
      '九华路',
      '德胜东路',
      '清江路',
      '庆春东路',
    ],
    communities: [
      '景芳',
      '三里亭',
      '采荷',
      '闸弄口',
      '红梅',
      '近江',
      '水澄桥',
      '始版桥',
      '天杭',
      '九堡',
      '丁兰',
      '五福',
      '草庄',
      '凤凰',
    ],
    population: 1.3,
    industry: 0.2,
  },
  {
    name: '拱墅区',
    code: '330105',
    lng: 120.15,
    lat: 30.32,
    radiusKm: 5,
    streets: [
      '米市巷街道',
      '湖墅街道',
      '小河街道',
      '拱宸桥街道',
      '大关街道',
      '上塘街道',
      '祥符街道',
      '康桥街道',
      '半山街道',
      '武林街道',
      '天水街道',
      '朝晖街道',
      '潮鸣街道',
      '长庆街道',
      '石桥街道',
      '东新街道',
    ],
    roads: [
      '湖墅南路',
      '莫干山路',
      '大关路',
      '上塘路',
      '石祥路',
      '丽水路',
      '沈半路',
      '文晖路',
      '潮王路',
      '朝晖路',
      '东新路',
      '湖州街',
      '登云路',
      '体育场路',
      '环城北路',
      '中河北路',
    ],
    communities: [
      '大关南',
      '东新园',
      '和睦新村',
      '朝晖一区',
      '香积寺',
      '卖鱼桥',
      '德胜',
      '小河',
      '半山',
      '康桥',
      '祥符桥',
      '拱宸桥',
      '长庆',
    ],
    population: 1.2,
    industry: 0.4,
  },
  {
    name: '西湖区',
    code: '330106',
    lng: 120.1,
    lat: 30.26,
    radiusKm: 6.5,
    streets: [
      '北山街道',
      '西溪街道',
      '翠苑街道',
      '古荡街道',
      '西湖街道',
      '留下街道',
      '转塘街道',
      '蒋村街道',
      '灵隐街道',
      '文新街道',
      '三墩镇',
      '双浦镇',
    ],
    roads: [
      '文三路',
      '文二路',
      '文一路',
      '教工路',
      '古墩路',
      '天目山路',
      '学院路',
      '紫金港路',
      '西溪路',
      '之江路',
      '丰潭路',
      '余杭塘路',
      '留和路',
      '申花路',
      '竞舟路',
      '莲花街',
    ],
    communities: [
      '翠苑一区',
      '文新',
      '古荡新村',
      '嘉绿苑',
      '骆家庄',
      '蒋村',
      '留下',
      '转塘',
      '三墩',
      '紫荆',
      '益乐',
      '竞舟',
      '学院路',
    ],
    population: 1.1,
    industry: 0.3,
  },
  {
    name: '滨江区',
    code: '330108',
    lng: 120.2,
    lat: 30.19,
    radiusKm: 4,
    streets: ['西兴街道', '长河街道', '浦沿街道'],
    roads: [
      '江南大道',
      '滨盛路',
      '江陵路',
      '长河路',
      '网商路',
      '六和路',
      '滨安路',
      '江虹路',
      '聚才路',
      '秋溢路',
      '月明路',
      '东信大道',
      '时代大道',
      '阡陌路',
    ],
    communities: ['西兴', '长河', '浦沿', '白金海岸', '江一', '东冠', '闻涛', '星民', '冠山', '塘子堰'],
    population: 0.6,
    industry: 0.8,
  },
  {
    name: '萧山区',
    code: '330109',
    lng: 120.27,
    lat: 30.16,
    radiusKm: 9,
    streets: [
      '城厢街道',
      '北干街道',
      '蜀山街道',
      '新塘街道',
      '宁围街道',
      '新街街道',
      '闻堰街道',
      '靖江街道',
      '南阳街道',
      '瓜沥镇',
      '衙前镇',
      '所前镇',
      '义桥镇',
    ],
    roads: [
      '市心路',
      '金城路',
      '人民路',
      '萧绍路',
      '建设一路',
      '通惠路',
      '山阴路',
      '博奥路',
      '鸿宁路',
      '晨晖路',
      '育才路',
      '风情大道',
      '湘湖路',
      '红十五线',
    ],
    communities: [
      '百尺溇',
      '湘湖',
      '北干',
      '金城',
      '城厢',
      '新塘',
      '宁围',
      '新街',
      '瓜沥',
      '衙前',
      '闻堰',
      '蜀山',
      '高桥',
    ],
    population: 1.3,
    industry: 1.6,
  },
  {
    name: '余杭区',
    code: '330110',
    lng: 120.0,
    lat: 30.34,
    radiusKm: 9,
    streets: [
      '五常街道',
      '仓前街道',
      '余杭街道',
      '闲林街道',
      '中泰街道',
      '良渚街道',
      '仁和街道',
      '瓶窑镇',
      '径山镇',
      '黄湖镇',
    ],
    roads: [
      '文一西路',
      '良睦路',
      '高教路',
      '五常大道',
      '荆长路',
      '龙潭路',
      '爱力中路',
      '文二西路',
      '闲富路',
      '绿汀路',
      '向往街',
      '好运街',
      '良渚大道',
      '东西大道',
    ],
    communities: ['五常', '仓前', '闲林', '良渚', '瓶窑', '径山', '仁和', '中泰', '永福', '葛巷', '西溪北苑'],
    population: 1.0,
    industry: 1.1,
  },
  {
    name: '临平区',
    code: '330113',
    lng: 120.3,
    lat: 30.42,
    radiusKm: 7,
    streets: ['临平街道', '东湖街道', '南苑街道', '星桥街道', '乔司街道', '运河街道', '崇贤街道', '塘栖镇'],
    roads: [
      '迎宾路',
      '世纪大道',
      '星桥路',
      '藕花洲大街',
      '望梅路',
      '东湖路',
      '南苑街',
      '人民大道',
      '乔莫西路',
      '超山路',
      '临东路',
      '红丰路',
    ],
    communities: ['临平', '东湖', '南苑', '星桥', '乔司', '运河', '崇贤', '塘栖', '藕花洲', '西洋桥'],
    population: 0.7,
    industry: 1.2,
  },
  {
    name: '钱塘区',
    code: '330114',
    lng: 120.42,
    lat: 30.3,
    radiusKm: 8,
    streets: ['白杨街道', '下沙街道', '河庄街道', '义蓬街道', '新湾街道', '临江街道', '前进街道'],
    roads: [
      '金沙大道',
      '学林街',
      '福城路',
      '江东大道',
      '青六中路',
      '文泽路',
      '学源街',
      '下沙路',
      '海达南路',
      '6号大街',
      '12号大街',
      '义蓬路',
    ],
    communities: ['金沙湖', '白杨', '下沙', '沿江', '河庄', '义蓬', '新湾', '临江', '前进', '高沙'],
    population: 0.6,
    industry: 1.8,
  },
  {
    name: '富阳区',
    code: '330111',
    lng: 119.96,
    lat: 30.05,
    radiusKm: 9,
    streets: ['富春街道', '东洲街道', '春江街道', '银湖街道', '鹿山街道', '新登镇', '场口镇'],
    roads: ['金桥路', '江滨西大道', '桂花路', '春秋北路', '富春街', '大桥路', '公望路', '迎宾北路'],
    communities: ['富春', '东洲', '春江', '银湖', '鹿山', '新登', '场口', '恩波'],
    population: 0.5,
    industry: 0.8,
  },
  {
    name: '临安区',
    code: '330112',
    lng: 119.72,
    lat: 30.23,
    radiusKm: 11,
    streets: ['锦城街道', '锦北街道', '锦南街道', '玲珑街道', '青山湖街道', '於潜镇', '太湖源镇'],
    roads: ['钱王大街', '衣锦街', '万马路', '科技大道', '城中街', '苕溪北街', '大园路', '石镜街'],
    communities: ['锦城', '锦北', '锦南', '玲珑', '青山湖', '於潜', '太湖源', '横溪'],
    population: 0.4,
    industry: 0.5,
  },
  {
    name: '桐庐县',
    code: '330122',
    lng: 119.69,
    lat: 29.8,
    radiusKm: 9,
    streets: ['桐君街道', '旧县街道', '城南街道', '富春江镇', '分水镇'],
    roads: ['迎春南路', '白云源路', '学圣路', '江南路', '瑶琳路', '叶浅路'],
    communities: ['桐君', '旧县', '城南', '富春江', '分水', '横村'],
    population: 0.2,
    industry: 0.2,
  },
  {
    name: '淳安县',
    code: '330127',
    lng: 119.04,
    lat: 29.61,
    radiusKm: 12,
    streets: ['千岛湖镇', '文昌镇', '石林镇', '汾口镇'],
    roads: ['新安东路', '环湖北路', '青溪大道', '阳光路', '明珠路'],
    communities: ['千岛湖', '文昌', '石林', '汾口', '排岭'],
    population: 0.15,
    industry: 0.1,
  },
  {
    name: '建德市',
    code: '330182',
    lng: 119.28,
    lat: 29.48,
    radiusKm: 10,
    streets: ['新安江街道', '洋溪街道', '更楼街道', '寿昌镇', '梅城镇'],
    roads: ['新安路', '严州大道', '江滨路', '府前路', '白沙路'],
    communities: ['新安江', '洋溪', '更楼', '寿昌', '梅城', '白沙'],
    population: 0.2,
    industry: 0.3,
  },
];

const KM_PER_DEG_LAT = 111.32;

function kmPerDegLng(lat: number): number {
  return KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
}

/** A place inside a district: the sub-district's centre and its index (for grid ids). */
export interface Street {
  district: District;
  index: number;
  name: string;
  lng: number;
  lat: number;
}

const streetCache = new Map<string, Street[]>();

/** Sub-district centres, fixed for every seed (derived from names, so the city never moves). */
export function streetsOf(district: District): Street[] {
  let list = streetCache.get(district.code);
  if (!list) {
    list = district.streets.map((name, index) => {
      const rng = new Rng(hash32(`${district.code}/${name}`));
      const r = district.radiusKm * 0.75 * Math.sqrt(rng.next());
      const a = rng.next() * 2 * Math.PI;
      return {
        district,
        index,
        name,
        lat: district.lat + (r * Math.sin(a)) / KM_PER_DEG_LAT,
        lng: district.lng + (r * Math.cos(a)) / kmPerDegLng(district.lat),
      };
    });
    streetCache.set(district.code, list);
  }
  return list;
}

const GRID_KM = 0.4;
const SPREAD_KM = 1.2;

/**
 * A point near a sub-district's centre, with the grid cell it falls in: `330106-003-012` is
 * district 330106, its third sub-district, cell 12 of a 400 m grid around that sub-district.
 */
export function pointNear(
  rng: Rng,
  street: Street,
  spreadKm = SPREAD_KM,
): { lng: number; lat: number; gridId: string } {
  const r = spreadKm * Math.sqrt(rng.next());
  const a = rng.next() * 2 * Math.PI;
  const dx = r * Math.cos(a);
  const dy = r * Math.sin(a);
  const cells = Math.ceil((2 * SPREAD_KM) / GRID_KM);
  const cx = Math.min(cells - 1, Math.max(0, Math.floor((dx + SPREAD_KM) / GRID_KM)));
  const cy = Math.min(cells - 1, Math.max(0, Math.floor((dy + SPREAD_KM) / GRID_KM)));
  return {
    lng: round6(street.lng + dx / kmPerDegLng(street.lat)),
    lat: round6(street.lat + dy / KM_PER_DEG_LAT),
    gridId: gridId(street, cy * cells + cx + 1),
  };
}

export function gridId(street: Street, cell: number): string {
  return `${street.district.code}-${String(street.index + 1).padStart(3, '0')}-${String(cell).padStart(3, '0')}`;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function pickDistrict(rng: Rng, by: 'population' | 'industry'): District {
  return rng.weighted(
    DISTRICTS,
    DISTRICTS.map((d) => d[by]),
  );
}

export function pickStreet(rng: Rng, district: District): Street {
  return rng.pick(streetsOf(district));
}

// ---- addresses ----

const COMPOUND_HEAD = [
  '金',
  '翠',
  '锦',
  '绿',
  '春',
  '和',
  '嘉',
  '华',
  '新',
  '阳光',
  '云',
  '望',
  '丽',
  '星',
  '明',
  '东方',
  '碧',
  '御',
  '中',
  '江南',
];
const COMPOUND_MID = [
  '江',
  '湖',
  '景',
  '溪',
  '桂',
  '枫',
  '兰',
  '荷',
  '都',
  '城',
  '苑',
  '澜',
  '庭',
  '峰',
  '月',
  '水',
];
const COMPOUND_TAIL = [
  '花园',
  '家园',
  '公寓',
  '小区',
  '府',
  '嘉苑',
  '名邸',
  '新村',
  '雅苑',
  '佳苑',
  '公馆',
  '华庭',
];

export function compoundName(rng: Rng): string {
  return rng.pick(COMPOUND_HEAD) + rng.pick(COMPOUND_MID) + rng.pick(COMPOUND_TAIL);
}

export function communityName(rng: Rng, district: District): string {
  return `${rng.pick(district.communities)}社区`;
}

export function roadNumber(rng: Rng): number {
  return rng.chance(0.7) ? rng.int(1, 399) : rng.int(400, 1888);
}

/** A citizen-facing place: what the caller names, plus the full address for the map. */
export interface CityPlace {
  street: Street;
  /** Short form for titles: `文三路 268 号附近`, `嘉绿苑 12 幢`, `文三路与教工路交叉口`. */
  short: string;
  address: string;
  location: GeoLocation;
}

export type PlaceKind = 'building' | 'street' | 'any';

/** Weights of the four address forms (road number, building in a compound, crossing, community road). */
const FORMS: Record<PlaceKind, number[]> = {
  building: [1, 6, 0, 1],
  street: [4, 0, 3, 2],
  any: [4, 3, 2, 2],
};

export function cityPlace(rng: Rng, district?: District, kind: PlaceKind = 'any'): CityPlace {
  const d = district ?? pickDistrict(rng, 'population');
  const street = pickStreet(rng, d);
  const road = rng.pick(d.roads);
  const p = pointNear(rng, street);
  const form = rng.index(FORMS[kind]);
  let short: string;
  let address: string;
  const prefix = `杭州市${d.name}${street.name}`;
  switch (form) {
    case 0: {
      const n = roadNumber(rng);
      short = `${road}${n}号附近`;
      address = `${prefix}${road}${n}号`;
      break;
    }
    case 1: {
      const c = compoundName(rng);
      const b = rng.int(1, 36);
      short = `${c}${b}幢`;
      address = `${prefix}${road}${roadNumber(rng)}号${c}${b}幢`;
      break;
    }
    case 2: {
      let cross = rng.pick(d.roads);
      if (cross === road) cross = d.roads[(d.roads.indexOf(road) + 1) % d.roads.length]!;
      short = `${road}与${cross}交叉口`;
      address = `${prefix}${road}与${cross}交叉口`;
      break;
    }
    default: {
      const c = communityName(rng, d);
      short = `${c}${road}段`;
      address = `${prefix}${c}${road}${roadNumber(rng)}号`;
      break;
    }
  }
  return { street, short, address, location: { lng: p.lng, lat: p.lat, address, gridId: p.gridId } };
}

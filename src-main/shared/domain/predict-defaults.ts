import type {
  Depot,
  Engineer,
  FailureModeDef,
  KindKnowledge,
  LocalizedText,
  PartDef,
  PredictConfig,
  PredictivePolicy,
  Shift,
  Sop,
  SymptomPattern,
} from '../contract';

/**
 * The seeded predictive configuration of the demo city (Hangzhou): what the PV inverters of the
 * simulated fleet fail of, how each failure shows in the model's features, which SOP and parts
 * fix it, where the spare parts are and which engineers may be sent. Business staff change it
 * later; like the rest of the default configuration it is only the starting point.
 *
 * Symptom thresholds follow the evidence measures of `core/predict/evidence.ts`: rising/falling is
 * the change from the first to the last quarter of the 24 h window relative to the first quarter
 * (or to the fleet's spread, when the level is near zero); above/below a z-score against the
 * fleet's normal; spikes the recent peak of `<metric>.max` over the typical `<metric>.mean`; gaps
 * a recent coverage below the threshold.
 */

const t = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

const sym = (
  feature: string,
  pattern: SymptomPattern['pattern'],
  threshold: number,
  weight: number,
): SymptomPattern => ({ feature, pattern, threshold, weight });

/** Skills engineers hold and SOPs require. */
export const PREDICT_SKILLS = {
  pvElectrical: 'pv-electrical',
  pvMechanical: 'pv-mechanical',
  hvSafety: 'hv-safety',
  wtMechanical: 'wt-mechanical',
  workAtHeight: 'work-at-height',
} as const;
const S = PREDICT_SKILLS;

const PARTS: PartDef[] = [
  {
    sku: 'CAP-DCL-1100',
    name: t('直流母线电容组（1100V）', 'DC-link capacitor bank (1100 V)'),
    unitCostYuan: 2800,
  },
  {
    sku: 'FAN-AXL-120',
    name: t('散热风扇总成（120mm）', 'Cooling fan assembly (120 mm)'),
    unitCostYuan: 650,
  },
  { sku: 'FLT-AIR-IP65', name: t('进风防尘滤网', 'Air-inlet dust filter'), unitCostYuan: 90 },
  {
    sku: 'TERM-MC4-KIT',
    name: t('MC4连接器及端子套件', 'MC4 connector and terminal kit'),
    unitCostYuan: 180,
  },
  { sku: 'COM-RS485-MOD', name: t('RS485通讯模块', 'RS485 communication module'), unitCostYuan: 420 },
  { sku: 'WT-GBX-OILFLT', name: t('齿轮箱滤芯及润滑油', 'Gearbox filter and oil'), unitCostYuan: 3600 },
  { sku: 'WT-BRG-SENSOR', name: t('主轴振动传感器', 'Main-shaft vibration sensor'), unitCostYuan: 2300 },
];

const SOPS: Sop[] = [
  {
    id: 'sop-pv-cap-replace',
    title: t('逆变器直流母线电容更换', 'Replace the inverter DC-link capacitor bank'),
    steps: [
      t('断开交流与直流开关，挂牌上锁', 'Open the AC and DC switches; lock out and tag out'),
      t(
        '等待母线放电不少于15分钟，验电确认无压',
        'Wait at least 15 min for the bus to discharge; verify it is dead',
      ),
      t(
        '拆下功率模块盖板，检查电容鼓包、漏液',
        'Remove the power-module cover; check capacitors for bulging or leaks',
      ),
      t('测量电容容值与ESR，记录读数', 'Measure capacitance and ESR; record the readings'),
      t('更换电容组，按规定扭矩紧固母排', 'Replace the capacitor bank; torque the bus bars to specification'),
      t('复电运行30分钟，确认直流纹波低于1.5%', 'Re-energise, run 30 min and confirm DC ripple below 1.5 %'),
    ],
    durationMinutes: 150,
    skills: [S.pvElectrical, S.hvSafety],
  },
  {
    id: 'sop-pv-fan-replace',
    title: t('逆变器散热风扇更换', 'Replace the inverter cooling fan'),
    steps: [
      t('降功率运行或停机，断开风扇供电', 'Derate or stop the inverter; isolate the fan supply'),
      t('检查风扇转动、轴承异响与风道积尘', 'Check fan rotation, bearing noise and dust in the air path'),
      t('更换风扇总成及进风滤网', 'Replace the fan assembly and the inlet filter'),
      t(
        '满载运行30分钟，确认温升速率正常、无过温告警',
        'Run at full load 30 min; confirm a normal temperature rise and no over-temperature alarm',
      ),
    ],
    durationMinutes: 75,
    skills: [S.pvMechanical],
  },
  {
    id: 'sop-pv-terminal',
    title: t('直流端子与通讯接线紧固', 'Re-torque DC terminals and communication wiring'),
    steps: [
      t(
        '断开交流与直流开关，挂牌上锁并验电',
        'Open the AC and DC switches; lock out, tag out and verify dead',
      ),
      t(
        '红外测温定位过热端子，检查氧化、打火痕迹',
        'Locate hot terminals with a thermal camera; look for oxidation and arcing marks',
      ),
      t(
        '更换烧蚀的MC4连接器，按扭矩紧固端子',
        'Replace burnt MC4 connectors; torque the terminals to specification',
      ),
      t(
        '检查RS485接线与屏蔽层，必要时更换通讯模块',
        'Check RS485 wiring and shield; replace the communication module if needed',
      ),
      t('复电后观察1小时，确认丢包率低于1%', 'Re-energise and watch for 1 h; confirm packet loss below 1 %'),
    ],
    durationMinutes: 90,
    skills: [S.pvElectrical, S.hvSafety],
  },
  {
    id: 'sop-wt-gearbox',
    title: t('风机齿轮箱油路检查与滤芯更换', 'Wind turbine gearbox oil check and filter change'),
    steps: [
      t(
        '风机停机锁定叶轮，登塔前检查安全带',
        'Stop the turbine and lock the rotor; check harnesses before climbing',
      ),
      t('取油样，检查油位、油温与冷却器', 'Take an oil sample; check oil level, temperature and the cooler'),
      t('更换滤芯，补充或更换润滑油', 'Replace the filter; top up or change the oil'),
      t('恢复运行，观察齿轮箱温度2小时', 'Restart and watch the gearbox temperature for 2 h'),
    ],
    durationMinutes: 240,
    skills: [S.wtMechanical, S.workAtHeight],
  },
  {
    id: 'sop-wt-bearing',
    title: t('风机主轴轴承振动诊断', 'Wind turbine main-bearing vibration diagnosis'),
    steps: [
      t('风机停机锁定叶轮，登塔作业许可', 'Stop the turbine and lock the rotor; obtain the climbing permit'),
      t(
        '检查振动传感器安装与接线，必要时更换',
        'Check the vibration sensor mounting and wiring; replace if needed',
      ),
      t(
        '检查主轴承润滑与游隙，记录振动频谱',
        'Check main-bearing lubrication and play; record the vibration spectrum',
      ),
    ],
    durationMinutes: 300,
    skills: [S.wtMechanical, S.workAtHeight],
  },
];

const PV_MODES: FailureModeDef[] = [
  {
    id: 'capacitor-ageing',
    name: t('直流母线电容老化', 'DC-link capacitor ageing'),
    causes: [
      {
        id: 'cap-esr-wearout',
        name: t('电解电容寿命末期，ESR升高', 'Electrolytic capacitors at end of life, ESR rising'),
        prior: 0.6,
      },
      {
        id: 'cap-thermal-stress',
        name: t('长期高温运行加速电容老化', 'Long operation at high temperature aged the capacitors'),
        prior: 0.25,
      },
      {
        id: 'cap-overvoltage',
        name: t('直流侧过压冲击损伤电容', 'DC over-voltage surges damaged the capacitors'),
        prior: 0.15,
      },
    ],
    symptoms: [
      sym('ripple.mean', 'rising', 0.4, 1),
      sym('ripple.mean', 'above', 2, 0.8),
      sym('ripple.max', 'rising', 0.4, 0.5),
    ],
    sopId: 'sop-pv-cap-replace',
    parts: [{ sku: 'CAP-DCL-1100', qty: 1 }],
    resolutionCodes: ['CAP-REPLACE', 'CAP-ESR'],
    keywords: ['电容', '纹波', '鼓包', '漏液', 'ESR', 'capacitor', 'ripple'],
  },
  {
    id: 'loose-contact',
    name: t('端子松动/接触不良', 'Loose terminal contact'),
    causes: [
      {
        id: 'term-torque-loss',
        name: t('直流端子紧固力矩衰减', 'DC terminal torque relaxed over time'),
        prior: 0.5,
      },
      { id: 'mc4-oxidation', name: t('MC4连接器氧化、进水', 'MC4 connector oxidised or wet'), prior: 0.3 },
      { id: 'comm-wiring', name: t('RS485通讯接线松动', 'Loose RS485 communication wiring'), prior: 0.2 },
    ],
    symptoms: [
      sym('packetLoss.max', 'spikes', 6, 1),
      sym('coverage', 'gaps', 0.9, 0.8),
      sym('packetLoss.mean', 'above', 2, 0.6),
      sym('tempGradient.max', 'spikes', 5, 0.3),
    ],
    sopId: 'sop-pv-terminal',
    parts: [{ sku: 'TERM-MC4-KIT', qty: 1 }],
    resolutionCodes: ['TERM-RETORQUE', 'MC4-REPLACE', 'COMM-REWIRE'],
    keywords: ['端子', '松动', '氧化', '打火', '烧蚀', '接触不良', 'MC4', '紧固', 'terminal', 'loose'],
  },
  {
    id: 'fan-failure',
    name: t('散热风扇故障', 'Cooling fan failure'),
    causes: [
      { id: 'fan-bearing-wear', name: t('风扇轴承磨损、卡滞', 'Fan bearing worn and sticking'), prior: 0.55 },
      { id: 'fan-dust', name: t('风道积尘、滤网堵塞', 'Dust in the air path, clogged filter'), prior: 0.3 },
      { id: 'fan-driver', name: t('风扇驱动板或供电故障', 'Fan driver board or supply fault'), prior: 0.15 },
    ],
    symptoms: [
      sym('tempGradient.mean', 'rising', 0.5, 0.8),
      sym('tempGradient.mean', 'above', 1.5, 0.8),
      sym('tempGradient.max', 'above', 2, 0.6),
    ],
    sopId: 'sop-pv-fan-replace',
    parts: [
      { sku: 'FAN-AXL-120', qty: 1 },
      { sku: 'FLT-AIR-IP65', qty: 1 },
    ],
    resolutionCodes: ['FAN-REPLACE', 'FAN-CLEAN'],
    keywords: ['风扇', '轴承', '过温', '散热', '异响', '积尘', '降额', 'fan', 'overheat'],
  },
];

/** The wind turbines have no model yet: their knowledge serves history matching and rules-only hypotheses. */
const WIND_MODES: FailureModeDef[] = [
  {
    id: 'gearbox-overheat',
    name: t('齿轮箱过温', 'Gearbox overheating'),
    causes: [
      { id: 'gbx-oil-degraded', name: t('润滑油劣化、滤芯堵塞', 'Oil degraded, filter clogged'), prior: 0.6 },
      { id: 'gbx-cooler', name: t('油冷却器效率下降', 'Oil cooler losing efficiency'), prior: 0.4 },
    ],
    symptoms: [sym('gearboxTemp.mean', 'rising', 0.15, 1), sym('gearboxTemp.max', 'above', 2, 0.7)],
    sopId: 'sop-wt-gearbox',
    parts: [{ sku: 'WT-GBX-OILFLT', qty: 1 }],
    resolutionCodes: ['GBX-OIL', 'GBX-COOLER'],
    keywords: ['齿轮箱', '油温', '滤芯', '润滑油', 'gearbox'],
  },
  {
    id: 'main-bearing-wear',
    name: t('主轴承磨损', 'Main-bearing wear'),
    causes: [
      { id: 'brg-lubrication', name: t('主轴承润滑不足', 'Main bearing under-lubricated'), prior: 0.55 },
      { id: 'brg-misalignment', name: t('主轴不对中', 'Main shaft misaligned'), prior: 0.45 },
    ],
    symptoms: [sym('vibration.mean', 'rising', 0.3, 1), sym('vibration.max', 'spikes', 3, 0.6)],
    sopId: 'sop-wt-bearing',
    parts: [{ sku: 'WT-BRG-SENSOR', qty: 1 }],
    resolutionCodes: ['BRG-LUBE', 'BRG-ALIGN'],
    keywords: ['轴承', '振动', '异响', '对中', 'bearing', 'vibration'],
  },
];

const KNOWLEDGE: KindKnowledge[] = [
  { deviceKind: 'pv-inverter', modes: PV_MODES },
  { deviceKind: 'wind-turbine', modes: WIND_MODES },
];

/**
 * Four depots around the city; Yuhang has run out of capacitor banks, so a western capacitor job
 * shows the part coming from elsewhere.
 */
const DEPOTS: Depot[] = [
  {
    id: 'depot-binjiang',
    name: t('滨江中心备件库', 'Binjiang central depot'),
    lng: 120.21,
    lat: 30.2,
    stock: {
      'CAP-DCL-1100': 6,
      'FAN-AXL-120': 12,
      'FLT-AIR-IP65': 30,
      'TERM-MC4-KIT': 40,
      'COM-RS485-MOD': 8,
      'WT-GBX-OILFLT': 2,
      'WT-BRG-SENSOR': 2,
    },
  },
  {
    id: 'depot-yuhang',
    name: t('余杭备件库', 'Yuhang depot'),
    lng: 120.01,
    lat: 30.33,
    stock: {
      'CAP-DCL-1100': 0,
      'FAN-AXL-120': 6,
      'FLT-AIR-IP65': 15,
      'TERM-MC4-KIT': 20,
      'COM-RS485-MOD': 4,
    },
  },
  {
    id: 'depot-xiaoshan',
    name: t('萧山备件库', 'Xiaoshan depot'),
    lng: 120.28,
    lat: 30.15,
    stock: {
      'CAP-DCL-1100': 3,
      'FAN-AXL-120': 5,
      'FLT-AIR-IP65': 10,
      'TERM-MC4-KIT': 25,
      'COM-RS485-MOD': 3,
    },
  },
  {
    id: 'depot-fuyang',
    name: t('富阳备件库', 'Fuyang depot'),
    lng: 119.96,
    lat: 30.05,
    stock: {
      'CAP-DCL-1100': 2,
      'FAN-AXL-120': 4,
      'FLT-AIR-IP65': 8,
      'TERM-MC4-KIT': 15,
      'COM-RS485-MOD': 2,
      'WT-GBX-OILFLT': 3,
      'WT-BRG-SENSOR': 1,
    },
  },
];

const WEEKDAYS = [1, 2, 3, 4, 5];
const dayShift = (days: number[], start = '08:30', end = '17:30'): Shift => ({ days, start, end });
const nightShift = (days: number[]): Shift => ({ days, start: '20:00', end: '08:00' });

/** The directory's engineers: east and west field teams, the line and QA engineers as specialists. */
const ENGINEERS: Engineer[] = [
  {
    userId: 'u-wangqiang',
    skills: [S.pvElectrical, S.hvSafety, S.pvMechanical],
    homeLng: 120.21,
    homeLat: 30.28,
    depotId: 'depot-binjiang',
    shift: dayShift(WEEKDAYS),
    hourlyCostYuan: 120,
    maxOpenTickets: 5,
    regions: ['上城区', '滨江区', '萧山区', '钱塘区'],
  },
  {
    userId: 'u-liuyang',
    skills: [S.pvElectrical, S.hvSafety],
    homeLng: 120.28,
    homeLat: 30.17,
    depotId: 'depot-xiaoshan',
    shift: nightShift(WEEKDAYS),
    hourlyCostYuan: 135,
    maxOpenTickets: 4,
    regions: ['萧山区', '滨江区', '钱塘区', '上城区'],
  },
  {
    userId: 'u-xugang',
    skills: [S.pvMechanical, S.pvElectrical],
    homeLng: 120.4,
    homeLat: 30.31,
    depotId: 'depot-xiaoshan',
    shift: dayShift([6, 7], '08:00', '20:00'),
    hourlyCostYuan: 140,
    maxOpenTickets: 4,
    regions: ['钱塘区', '临平区', '萧山区', '上城区'],
  },
  {
    userId: 'u-chenjing',
    skills: [S.pvElectrical, S.hvSafety, S.pvMechanical],
    homeLng: 120.1,
    homeLat: 30.27,
    depotId: 'depot-yuhang',
    shift: dayShift(WEEKDAYS),
    hourlyCostYuan: 125,
    maxOpenTickets: 5,
    regions: ['西湖区', '余杭区', '拱墅区', '临平区'],
  },
  {
    userId: 'u-yangfan',
    skills: [S.pvMechanical, S.pvElectrical],
    homeLng: 120.02,
    homeLat: 30.36,
    depotId: 'depot-yuhang',
    shift: nightShift(WEEKDAYS),
    hourlyCostYuan: 115,
    maxOpenTickets: 4,
    regions: ['余杭区', '临平区', '拱墅区', '西湖区'],
  },
  {
    userId: 'u-huangmin',
    skills: [S.pvElectrical, S.hvSafety, S.pvMechanical],
    homeLng: 119.95,
    homeLat: 30.06,
    depotId: 'depot-fuyang',
    shift: dayShift([1, 2, 3, 4, 5, 6], '08:00', '17:00'),
    hourlyCostYuan: 110,
    maxOpenTickets: 5,
    regions: ['富阳区', '桐庐县', '建德市', '淳安县', '临安区'],
  },
  {
    // Wind-turbine specialist who also holds the PV tickets; serves the whole city.
    userId: 'u-zhaolei',
    skills: [S.wtMechanical, S.workAtHeight, S.pvElectrical, S.hvSafety],
    homeLng: 119.73,
    homeLat: 30.24,
    depotId: 'depot-fuyang',
    shift: dayShift(WEEKDAYS),
    hourlyCostYuan: 150,
    maxOpenTickets: 3,
    regions: [],
  },
  {
    // Weekend-night cover for the whole city.
    userId: 'u-sunli',
    skills: [S.pvElectrical, S.pvMechanical, S.hvSafety],
    homeLng: 120.15,
    homeLat: 30.33,
    depotId: 'depot-yuhang',
    shift: nightShift([5, 6, 7]),
    hourlyCostYuan: 145,
    maxOpenTickets: 4,
    regions: [],
  },
];

export const DEFAULT_PREDICT_CONFIG: PredictConfig = {
  knowledge: KNOWLEDGE,
  sops: SOPS,
  parts: PARTS,
  depots: DEPOTS,
  engineers: ENGINEERS,
  dispatch: {
    weights: { arrival: 0.4, cost: 0.15, slaRisk: 0.3, customerPriority: 0.15 },
    travel: { speedKmh: 35, detourFactor: 1.35, costPerKmYuan: 2.5 },
    customerTiers: { strategic: 1, key: 0.8, standard: 0.5, default: 0.4 },
  },
  // The lead's demo wiring points this at the simulator's local forecast endpoint.
  weather: { url: null, pollMinutes: 60 },
};

export const DEFAULT_PREDICTIVE_POLICIES: PredictivePolicy[] = [
  {
    deviceKind: 'pv-inverter',
    enabled: true,
    horizon: 'h24',
    openAt: 0.6,
    persistCycles: 2,
    slopePerCycle: 0.15,
    slopeFloor: 0.35,
    updateStep: 0.15,
    clearBelow: 0.25,
    clearCycles: 6,
    autoClear: true,
    windowHours: 72,
    // P1 when the 4 h probability reaches p1At, P2 when the 8 h one reaches p2At.
    p1At: 0.6,
    p2At: 0.5,
  },
];

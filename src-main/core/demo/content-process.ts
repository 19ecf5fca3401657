import type { ImpactDomain, Priority } from '@shared/contract';
import { teamLabel, type StoryContext } from './content-device';
import { batchNo, orderNo, vin } from './keys';
import type { Rng } from './prng';
import { MES, PRIORITIES, fill, say, type Line, type PriorityWeights, type Story } from './story';
import { world, type BatteryLine } from './world';

/** Process anomalies on the battery factories' lines: SPC alarms, inspection findings, field returns. */

interface Anomaly {
  name: string;
  steps: readonly string[];
  weight: number;
  pw: PriorityWeights;
  /** Defect rate range in percent. */
  rate: [number, number];
  metric: (rng: Rng) => string;
  causes: readonly string[];
  actions: readonly string[];
}

const f1 = (rng: Rng, a: number, b: number): string => rng.float(a, b).toFixed(1);

const ANOMALIES: Anomaly[] = [
  {
    name: '焊接不良率上升',
    steps: ['激光焊接', '极柱激光焊接', '密封钉焊接', '汇流排焊接', '极耳焊接'],
    weight: 5,
    pw: [0.08, 0.3, 0.45, 0.17],
    rate: [0.8, 4.5],
    metric: (r) =>
      `${r.pick(['虚焊', '炸点', '焊偏', '焊穿'])}不良占比 ${r.int(55, 85)}%，熔深 CPK 降至 ${r.float(0.8, 1.2).toFixed(2)}`,
    causes: ['振镜焦距偏移 0.3mm', '保护气体流量不足', '来料极柱表面氧化', '焊接夹具压紧力下降'],
    actions: [
      '校正焦距并首件确认，不良率恢复至 0.15%',
      '更换保护气减压阀，流量恢复至 20L/min',
      '来料极柱增加等离子清洗，焊接恢复稳定',
      '更换夹具压紧气缸并调整压力，焊接质量恢复',
    ],
  },
  {
    name: '厚度偏差超限',
    steps: ['涂布'],
    weight: 3,
    pw: [0.05, 0.3, 0.45, 0.2],
    rate: [0.5, 3],
    metric: (r) => `面密度偏差 ±${f1(r, 2.1, 4.5)}%，横向厚度极差 ${r.int(4, 9)}μm，CPK 低于 1.33`,
    causes: ['模头垫片磨损', '浆料粘度波动', '背辊跳动超差'],
    actions: [
      '更换模头垫片并重新调整唇口间隙，面密度 CPK 恢复至 1.52',
      '调整浆料搅拌工艺并加强粘度监控',
      '更换背辊轴承，跳动恢复至 2μm 以内',
    ],
  },
  {
    name: '压实密度偏低',
    steps: ['辊压'],
    weight: 2,
    pw: [0.02, 0.25, 0.5, 0.23],
    rate: [0.3, 2],
    metric: (r) => `压实密度 ${r.float(3.2, 3.38).toFixed(2)}g/cm³，低于下限 3.40g/cm³`,
    causes: ['轧辊温度偏低', '辊缝设定漂移'],
    actions: ['调整轧辊加热温度并重新设定辊缝，压实密度恢复'],
  },
  {
    name: '极片毛刺超标',
    steps: ['分切'],
    weight: 2,
    pw: [0.05, 0.3, 0.5, 0.15],
    rate: [0.4, 2.5],
    metric: (r) => `毛刺最大值 ${r.int(13, 22)}μm，超过上限 12μm`,
    causes: ['分切刀片磨损', '刀片重叠量设定不当'],
    actions: ['更换分切刀片并调整重叠量，毛刺恢复至 6μm'],
  },
  {
    name: '对齐度超差',
    steps: ['叠片'],
    weight: 2,
    pw: [0.05, 0.3, 0.5, 0.15],
    rate: [0.3, 2],
    metric: (r) => `阴阳极 Overhang 最小值 ${f1(r, 0.3, 0.6)}mm，低于下限 0.8mm`,
    causes: ['叠片台视觉纠偏失效', '隔膜张力波动'],
    actions: ['重新标定视觉纠偏系统，对齐度恢复', '更换张力传感器，隔膜张力稳定'],
  },
  {
    name: '注液量偏差',
    steps: ['注液'],
    weight: 2,
    pw: [0.05, 0.3, 0.5, 0.15],
    rate: [0.3, 1.8],
    metric: (r) => `注液量偏差 ${f1(r, 1.5, 3.5)}g，超出工艺窗口 ±1.0g`,
    causes: ['注液泵计量偏差', '注液针头部分堵塞'],
    actions: ['校准注液泵并更换注液针头，注液量恢复'],
  },
  {
    name: '容量一致性差',
    steps: ['化成', '分容'],
    weight: 2,
    pw: [0.03, 0.25, 0.5, 0.22],
    rate: [0.5, 3],
    metric: (r) => `容量极差 ${r.int(18, 45)}mAh，标准差较上周上升 ${r.int(20, 60)}%`,
    causes: ['化成柜部分通道接触不良', '前段注液量波动'],
    actions: ['更换化成柜探针并校准通道，一致性恢复', '追溯注液参数并纠正，后续批次一致性恢复'],
  },
  {
    name: '自放电 K 值异常',
    steps: ['分容'],
    weight: 2,
    pw: [0.1, 0.3, 0.45, 0.15],
    rate: [0.2, 1.5],
    metric: (r) => `K 值异常电芯 ${r.int(12, 80)} 只，K 值中位数 ${f1(r, 0.06, 0.12)}mV/d`,
    causes: ['极片金属异物（粉尘）', '隔膜褶皱'],
    actions: ['加强分切及叠片工序除尘，异常电芯隔离报废', '更换隔膜放卷纠偏装置，K 值恢复正常'],
  },
  {
    name: '漏率上升',
    steps: ['氦检'],
    weight: 2,
    pw: [0.1, 0.3, 0.45, 0.15],
    rate: [0.3, 2],
    metric: (r) =>
      `漏率超过 1×10⁻⁶ Pa·m³/s 的电芯 ${r.int(12, 90)} 只，集中在 ${r.pick(['A', 'B', 'C', 'D'])} 号氦检腔`,
    causes: ['密封钉焊接质量波动', '氦检腔密封圈老化'],
    actions: ['调整密封钉焊接参数，漏率恢复正常', '更换氦检腔密封圈并复检'],
  },
  {
    name: '极片水分超标',
    steps: ['烘烤'],
    weight: 1,
    pw: [0.05, 0.3, 0.5, 0.15],
    rate: [0.2, 1.5],
    metric: (r) => `极片水分 ${r.int(210, 380)}ppm，超过上限 200ppm`,
    causes: ['烘箱真空度不足', '烘烤时间被误改'],
    actions: ['修复烘箱真空系统并延长烘烤时间，水分恢复至 120ppm', '恢复配方参数并增加参数变更审批'],
  },
  {
    name: '断胶/胶宽不良',
    steps: ['涂胶'],
    weight: 1,
    pw: [0.02, 0.25, 0.5, 0.23],
    rate: [0.3, 2],
    metric: (r) => `视觉检测断胶/胶宽不良 ${r.int(5, 30)} 件/班`,
    causes: ['胶枪针头堵塞', '胶水批次粘度偏高'],
    actions: ['更换胶枪针头并增加清洗频次', '隔离胶水批次，换批后正常'],
  },
  {
    name: '绝缘不良率上升',
    steps: ['绝缘耐压测试', '绝缘测试'],
    weight: 2,
    pw: [0.1, 0.35, 0.4, 0.15],
    rate: [0.3, 2.5],
    metric: (r) =>
      `耐压测试漏电流超标 ${r.int(4, 25)} 件，不良集中于${r.pick(['上层', '侧板', '汇流排区域'])}`,
    causes: ['绝缘膜贴附偏位', '金属屑残留'],
    actions: ['调整绝缘膜贴附工装，不良消除', '增加吸尘工步，绝缘不良恢复正常'],
  },
  {
    name: '单体压差超限',
    steps: ['模组EOL测试', 'PACK EOL测试'],
    weight: 2,
    pw: [0.05, 0.3, 0.5, 0.15],
    rate: [0.3, 2],
    metric: (r) => `单体压差 ${r.int(22, 60)}mV，超过上限 20mV`,
    causes: ['电芯分选档位混用', '采样线束接触不良'],
    actions: ['追溯并隔离混档电芯，重新分选', '更换采样线束插接件，压差恢复'],
  },
  {
    name: '泄漏率超标',
    steps: ['气密测试'],
    weight: 2,
    pw: [0.05, 0.3, 0.5, 0.15],
    rate: [0.3, 2.5],
    metric: (r) => `泄漏率 ${r.int(35, 90)}Pa/min，超过上限 30Pa/min`,
    causes: ['上盖密封胶条压缩量不足', '箱体焊缝气孔'],
    actions: ['更换密封胶条批次并调整拧紧顺序，气密合格', '箱体焊缝补焊并增加来料气密抽检'],
  },
  {
    name: '扭矩不合格率上升',
    steps: ['螺栓拧紧', '模组入箱'],
    weight: 1,
    pw: [0.05, 0.3, 0.5, 0.15],
    rate: [0.5, 3],
    metric: (r) => `扭矩/角度双控不合格 ${r.int(6, 30)} 件/班`,
    causes: ['拧紧枪标定过期', '螺纹孔涂层异常'],
    actions: ['拧紧枪重新标定，合格率恢复', '与供应商确认螺纹孔涂层问题并换批'],
  },
];

const FIELD_ISSUES = [
  { issue: '绝缘阻值偏低报警', step: '绝缘测试' },
  { issue: '单体压差过大', step: 'PACK EOL测试' },
  { issue: '电池包进水', step: '气密测试' },
  { issue: 'SOC 跳变', step: '模组EOL测试' },
  { issue: '快充时电池过温告警', step: '极柱激光焊接' },
];
const CAR_MODELS = ['纯电 SUV', '纯电轿车', '插混 MPV', '纯电物流车', '换电版网约车'];

function pickLineFor(rng: Rng, anomaly: Anomaly): { line: BatteryLine; step: string } {
  const w = world();
  const lines = w.lines.filter((l) => l.steps.some((s) => anomaly.steps.includes(s)));
  const line = rng.pick(lines);
  const step = rng.pick(line.steps.filter((s) => anomaly.steps.includes(s)));
  return { line, step };
}

export function anomalyFor(rng: Rng, priority: Priority): Anomaly {
  const p = PRIORITIES.indexOf(priority);
  return rng.weighted(
    ANOMALIES,
    ANOMALIES.map((a) => a.weight * (a.pw[p] ?? 0) + 1e-6),
  );
}

export function lineKey(line: BatteryLine): string {
  return `${line.factory.code}/${line.code}`;
}

export function processAnomalyStory(ctx: StoryContext, priority: Priority): Story {
  const { rng, at, lt } = ctx;
  const kind = rng.weighted(['spc', 'inspection', 'field', 'pilot'] as const, [55, 20, 17, 8]);
  let anomaly = anomalyFor(rng, priority);
  const field = kind === 'field' ? rng.pick(FIELD_ISSUES) : null;
  if (field) anomaly = ANOMALIES.find((a) => a.steps.includes(field.step)) ?? anomaly;
  const { line, step } = pickLineFor(rng, anomaly);
  const factory = line.factory;
  const rate = Math.round(rng.float(anomaly.rate[0], anomaly.rate[1]) * 100) / 100;
  const batch = batchNo(rng, `${factory.code}${line.code}`, lt.compactDate(at));
  const lineName = `${factory.short}${line.name}`;
  const metric = anomaly.metric(rng);
  const keys: Record<string, string> = { batchNo: batch };
  const domains: ImpactDomain[] = ['quality', 'production'];
  let title: string;
  let description: string;
  const qty = rng.int(200, 4800);
  if (kind === 'field' && field) {
    const car = rng.pick(CAR_MODELS);
    keys.vin = vin(rng);
    keys.orderNo = orderNo(rng, lt.compactDate(at));
    domains.splice(0, domains.length, 'quality', 'after-sales');
    title = rng.pick([
      `售后反馈 ${car}电池包${field.issue}，追溯${line.name}${step}`,
      `【售后追溯】批次 ${batch} 电池包${field.issue}`,
    ]);
    description =
      `【售后质量追溯】售后服务单 ${keys.orderNo}：客户${car}（VIN：${keys.vin}）反馈动力电池包${field.issue}，返厂拆解初步分析指向${lineName}${step}工序。\n` +
      `追溯生产批次 ${batch}，该批次同期下线 ${qty} 套，在库 ${rng.int(0, 300)} 套已冻结。过程数据显示：${metric}。\n` +
      `请质量工程组开展 8D 分析，评估是否需要召回排查。`;
  } else if (kind === 'inspection') {
    const qe = rng.pick(ctx.qa);
    title = rng.pick([
      `${factory.short} ${line.name} ${step}工序${anomaly.name}`,
      `${lineName} ${step}工序巡检发现${anomaly.name}`,
    ]);
    description =
      `${qe.name}巡检发现：${lineName}${step}工序${anomaly.name}，当班不良率 ${rate}%。\n${metric}。\n` +
      `涉及批次 ${batch}，已对在制品 ${qty} 件挂牌隔离，待 MRB 评审。`;
  } else {
    title = rng.pick([
      `${factory.short} ${line.name} ${step}工序${anomaly.name}（${rate}%）`,
      `${lineName}${step}工序${anomaly.name}`,
      `【SPC】${factory.short}${line.name} ${step}工序${anomaly.name}`,
    ]);
    description =
      `【SPC 预警】${lt.short(at)}，${lineName}${step}工序${anomaly.name}，不良率 ${rate}%（目标 ≤ ${(anomaly.rate[0] / 2).toFixed(2)}%）。\n` +
      `${metric}。批次 ${batch} 触发 ${rng.pick(['连续 7 点上升', '1 点超出控制限', '连续 9 点在中心线同侧', '连续 3 点中 2 点超出 2σ'])}判异规则，已自动拦截在制品 ${qty} 件。\n` +
      `请质量工程师确认根因并制定纠正措施。`;
  }
  if (kind === 'pilot') {
    domains.splice(0, domains.length, 'rnd', 'quality');
    title = `【中试】${title}`;
    description = `新品试产（${rng.pick(['大圆柱 46 系列', '磷酸铁锂 314Ah 储能电芯', '半固态电芯', 'CTP 3.0 电池包'])}）验证阶段：\n${description}`;
  }
  const ci = rng.int(0, anomaly.causes.length - 1);
  const cause = anomaly.causes[ci]!;
  const action =
    anomaly.actions.length === anomaly.causes.length ? anomaly.actions[ci]! : rng.pick(anomaly.actions);
  const team = kind === 'field' ? 'team-qa' : rng.chance(0.65) ? 'team-qa' : 'team-line';
  const lines: Partial<Record<Line, readonly string[]>> = {
    dispatch: ['请{who}牵头分析根因。', '转{who}，请 24 小时内给出临时措施。', ''],
    ack: ['收到，已调取该批次过程参数。', '收到，已到线确认。', '收到，先执行隔离。'],
    diagnose: [
      `初步分析：${cause}。`,
      `鱼骨图分析后锁定主要原因：${cause}。`,
      `已完成 ${rng.int(20, 60)} 件拆解/切片分析，指向${cause}。`,
    ],
    progress: [
      `已隔离批次 ${batch}，共 ${qty} 件，待 MRB 评审。`,
      '临时措施：增加全检，已执行。',
      '已通知工艺与设备同步排查。',
      '8D 报告 D4 根因分析进行中。',
    ],
    hold: [
      '等待供应商来料分析报告。',
      '等待第三方实验室失效分析结果。',
      '等待停线窗口验证改善措施。',
      '等待客户返件到厂。',
    ],
    resume: ['分析报告已收到，继续处理。', '返件已到厂，继续分析。'],
    resolve: [
      `根因：${cause}。措施：${action}。连续 3 班监控正常。`,
      `${action}。批次 ${batch} 经 MRB 评审${rng.pick(['返工后放行', '降级使用', '报废处理'])}。`,
    ],
    cancel: ['经复核为检测设备误判，产品合格，取消。', '数据重复推送，取消。'],
    reopen: ['改善后再次出现同类不良，重新打开。', '验证期内不良率反弹，重新处理。'],
    escalate: ['影响客户交付，升级处理。', '不良扩散至其他批次，升级。'],
    close: ['8D 报告已归档。', '质量部复核通过，关闭。', ''],
  };
  return {
    typeId: 'process-anomaly',
    title,
    description,
    priority,
    source: kind === 'spc' || kind === 'pilot' ? 'rest' : 'manual',
    businessKeys: keys,
    domains,
    location: factory.location,
    fields: { line: lineName, processStep: step, defectRate: rate },
    idempotencyKey: null,
    createdBy: kind === 'spc' || kind === 'pilot' ? MES : rng.pick(ctx.qa),
    routing: { team },
    routedAtCreation: kind === 'spc' && rng.chance(0.6),
    downtime: false,
    remote: false,
    say: (l, r, values) =>
      fill(say(r, lines[l] ?? ['']), { team: teamLabel(team), who: teamLabel(team), ...values }),
    facts: { site: factory, lineKey: lineKey(line) },
  };
}

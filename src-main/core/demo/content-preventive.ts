import type { ImpactDomain, Priority } from '@shared/contract';
import { fieldTeamFor, teamLabel, type StoryContext } from './content-device';
import { DAY } from './local-time';
import type { Rng } from './prng';
import { PREDICT_ENGINE, fill, say, type Line, type Story } from './story';
import { world, type Device, type DeviceKind } from './world';

/** Predictive-maintenance tickets: a model saw a failure coming on a device. */

type Mode = 'capacitor-ageing' | 'loose-contact' | 'fan-failure' | 'other';

interface Risk {
  mode: Mode;
  name: string;
  weight: number;
  models?: RegExp;
  evidence: (rng: Rng) => string;
  action: string;
  spare: readonly string[];
  done: readonly string[];
}

const f1 = (rng: Rng, a: number, b: number): string => rng.float(a, b).toFixed(1);

const RISKS: Record<DeviceKind, Risk[]> = {
  'pv-inverter': [
    {
      mode: 'capacitor-ageing',
      name: '直流母线电容老化风险',
      weight: 4,
      evidence: (r) =>
        `直流母线电压纹波 30 天内上升 ${r.int(35, 120)}%，估算电容 ESR 上升 ${r.int(15, 60)}%、容值衰减 ${f1(r, 6, 18)}%`,
      action: '更换直流母线电容组',
      spare: ['直流母线电容 450V/2200μF ×4', '直流母线电容 500V/1500μF ×6', '薄膜电容 1100V/80μF ×2'],
      done: ['已更换直流母线电容 4 只，纹波恢复至出厂水平', '更换电容组后复测 ESR 正常'],
    },
    {
      mode: 'fan-failure',
      name: '散热风扇失效预警',
      weight: 4,
      evidence: (r) =>
        `${r.int(1, 3)} 号风扇转速降至额定的 ${r.int(48, 78)}%，同工况下机内温度较同站均值高 ${r.int(6, 15)}℃`,
      action: '更换散热风扇并清理风道',
      spare: ['散热风扇 DC48V 172mm ×2', '散热风扇 DC24V 120mm ×3'],
      done: ['已更换散热风扇 2 台，机内温度下降 11℃', '风扇更换及风道清理完成，温升正常'],
    },
    {
      mode: 'loose-contact',
      name: '交流端子接触不良风险',
      weight: 3,
      evidence: (r) => `交流输出端子温升 ${r.int(12, 35)}℃，三相温差 ${r.int(8, 20)}℃，接触电阻呈上升趋势`,
      action: '紧固交流端子并做红外复测',
      spare: ['交流端子排 TB-35 ×1', '铜鼻子 DT-50 ×6'],
      done: ['紧固交流端子并更换氧化铜鼻子，红外复测温差 2℃', '处理端子接触面，温升恢复正常'],
    },
    {
      mode: 'other',
      name: 'IGBT 模块热阻上升',
      weight: 1,
      evidence: (r) => `相同负载下 IGBT 结温较 60 天前高 ${r.int(7, 16)}℃，热阻估计值上升 ${r.int(12, 30)}%`,
      action: '更换 IGBT 模块并重新涂覆导热硅脂',
      spare: ['IGBT 模块 1200V/300A ×1', '导热硅脂 ×1'],
      done: ['已更换 IGBT 模块并重涂导热硅脂，结温恢复正常'],
    },
  ],
  'wind-turbine': [
    {
      mode: 'capacitor-ageing',
      name: '变流器直流支撑电容老化风险',
      weight: 2,
      evidence: (r) => `变流器直流母线纹波上升 ${r.int(25, 80)}%，电容估算容值衰减 ${f1(r, 5, 14)}%`,
      action: '更换变流器直流支撑电容',
      spare: ['直流支撑电容 1100V/2800μF ×2'],
      done: ['更换直流支撑电容 2 只，纹波恢复正常'],
    },
    {
      mode: 'fan-failure',
      name: '变流器柜散热风扇失效预警',
      weight: 2,
      evidence: (r) => `变流器柜风扇电流波动增大，柜内温度较同场机组高 ${r.int(5, 12)}℃`,
      action: '更换变流器柜散热风扇',
      spare: ['轴流风扇 AC400V ×2'],
      done: ['已更换柜体风扇 2 台，柜温恢复正常'],
    },
    {
      mode: 'loose-contact',
      name: '塔基动力电缆接头接触不良风险',
      weight: 2,
      evidence: (r) => `塔基柜动力电缆接头温度 ${r.int(68, 92)}℃，高于同机其他相 ${r.int(15, 28)}℃`,
      action: '停机紧固动力电缆接头',
      spare: ['电缆接线端子 240mm² ×3'],
      done: ['停机紧固电缆接头并更换过热端子，温度恢复正常'],
    },
    {
      mode: 'other',
      name: '齿轮箱油液金属颗粒上升预警',
      weight: 3,
      evidence: (r) => `在线油液传感器铁磁颗粒计数 7 天内上升 ${r.int(80, 260)}%，齿轮箱高速轴振动趋势上升`,
      action: '取油样化验并内窥镜检查齿轮箱',
      spare: ['齿轮箱滤芯 ×2', '齿轮油 200L'],
      done: ['内窥镜检查高速轴齿面轻微点蚀，已换油换滤芯并缩短监测周期'],
    },
    {
      mode: 'other',
      name: '变桨后备电池容量衰减预警',
      weight: 2,
      evidence: (r) => `变桨后备电池自检放电电压跌落 ${f1(r, 4, 9)}V，容量估计 ${r.int(62, 78)}%`,
      action: '更换变桨后备电池组',
      spare: ['变桨后备电池组 ×3'],
      done: ['已更换 3 组变桨后备电池，自检通过'],
    },
  ],
  'battery-line': [
    {
      mode: 'capacitor-ageing',
      name: '伺服驱动器电解电容老化风险',
      weight: 2,
      evidence: (r) =>
        `驱动器母线纹波上升 ${r.int(20, 70)}%，运行 ${r.int(4, 7)} 年，同型号驱动器近期已有 ${r.int(2, 5)} 台失效`,
      action: '更换伺服驱动器',
      spare: ['伺服驱动器 2kW ×1', '伺服驱动器 750W ×1'],
      done: ['停线窗口内更换伺服驱动器，参数拷贝后试运行正常'],
    },
    {
      mode: 'fan-failure',
      name: '电控柜散热风扇失效预警',
      weight: 2,
      evidence: (r) => `电控柜内温度较车间环境高 ${r.int(12, 22)}℃，风扇电流下降 ${r.int(30, 60)}%`,
      action: '更换电控柜风扇及滤网',
      spare: ['柜体风扇 AC220V 150mm ×2', '风扇滤网 ×2'],
      done: ['更换风扇和滤网，柜温下降 9℃'],
    },
    {
      mode: 'loose-contact',
      name: '焊接电源输出端子接触不良风险',
      weight: 2,
      evidence: (r) => `焊接电流波形异常点比例上升至 ${f1(r, 1.5, 4)}%，输出端子温升 ${r.int(15, 30)}℃`,
      action: '紧固并更换焊接电源输出端子',
      spare: ['焊接电缆端子 ×2'],
      done: ['更换输出端子并紧固，焊接波形恢复正常'],
    },
    {
      mode: 'other',
      name: '激光器功率衰减趋势预警',
      weight: 2,
      evidence: (r) => `激光器功率 14 天内下降 ${f1(r, 4, 9)}%，按趋势 ${r.int(5, 12)} 天后将低于工艺下限`,
      action: '清洁/更换保护镜片并复测功率',
      spare: ['保护镜片 ×5'],
      done: ['更换保护镜片并校准，功率恢复至 2980W'],
    },
    {
      mode: 'other',
      name: '真空泵性能衰减预警',
      weight: 1,
      evidence: (r) => `抽真空时间延长 ${r.int(20, 45)}%，极限真空度下降至 -${r.int(86, 91)}kPa`,
      action: '更换真空泵油及密封件',
      spare: ['真空泵油 4L', '真空泵密封套件 ×1'],
      done: ['更换泵油和密封件，抽真空时间恢复正常'],
    },
  ],
  'medical-imaging': [
    {
      mode: 'capacitor-ageing',
      name: '高压发生器滤波电容老化风险',
      weight: 2,
      models: /CT|DR|DSA/,
      evidence: (r) => `kV 波形纹波上升 ${r.int(15, 40)}%，曝光中止事件 30 天内 ${r.int(2, 6)} 次`,
      action: '更换高压发生器滤波电容',
      spare: ['高压滤波电容组 ×1'],
      done: ['更换滤波电容组，剂量与 kV 精度校准合格'],
    },
    {
      mode: 'fan-failure',
      name: '机架冷却风扇失效预警',
      weight: 2,
      models: /CT/,
      evidence: (r) => `机架内温度较基线高 ${r.int(5, 11)}℃，${r.int(1, 4)} 号风扇转速波动`,
      action: '更换机架冷却风扇',
      spare: ['机架冷却风扇 ×2'],
      done: ['更换机架冷却风扇 2 台，机架温度恢复基线'],
    },
    {
      mode: 'loose-contact',
      name: '高压电缆接头接触不良风险',
      weight: 1,
      models: /CT|DR|DSA/,
      evidence: (r) => `曝光时检测到微放电事件 ${r.int(3, 12)} 次/周，呈上升趋势`,
      action: '处理高压电缆接头并更换绝缘脂',
      spare: ['高压绝缘脂 ×1'],
      done: ['清洁高压电缆接头并更换绝缘脂，放电事件消失'],
    },
    {
      mode: 'other',
      name: 'CT 球管寿命预警',
      weight: 2,
      models: /CT/,
      evidence: (r) => `球管累计曝光 ${r.int(32, 48)} 万次，灯丝电流漂移 ${f1(r, 2, 6)}%，打火事件增加`,
      action: '评估球管更换计划并预订球管',
      spare: ['CT 球管 ×1'],
      done: ['已更换球管并完成球管训练与校准，图像质量验收合格'],
    },
    {
      mode: 'other',
      name: '磁共振冷头性能衰减预警',
      weight: 2,
      models: /磁共振/,
      evidence: (r) => `冷头二级温度上升至 ${f1(r, 4.3, 4.9)}K，液氦挥发率升至 ${f1(r, 0.08, 0.3)}L/天`,
      action: '更换冷头并补充液氦',
      spare: ['冷头 ×1', '液氦 250L'],
      done: ['更换冷头后液氦零挥发恢复，补充液氦 250L'],
    },
  ],
};

const MODEL_NAMES = [
  '逆变器健康度模型',
  '旋转机械故障预测模型',
  '产线设备健康评估模型',
  '影像设备预测性维护模型',
];
const KIND_LABEL: Record<DeviceKind, string> = {
  'pv-inverter': '光伏逆变器',
  'wind-turbine': '风电机组',
  'battery-line': '产线工位',
  'medical-imaging': '医疗影像设备',
};

const MODE_LABEL: Record<Mode, string> = {
  'capacitor-ageing': '电容老化',
  'loose-contact': '接触不良',
  'fan-failure': '风扇失效',
  other: '其他',
};

/** Risk score bands per priority: the engine maps its score to an urgency. */
const BANDS: Record<Priority, [number, number]> = { P1: [90, 99], P2: [75, 89], P3: [55, 74], P4: [35, 54] };

const KIND_WEIGHTS: Record<DeviceKind, number> = {
  'pv-inverter': 45,
  'wind-turbine': 22,
  'battery-line': 20,
  'medical-imaging': 13,
};

export function preventiveStory(ctx: StoryContext, priority: Priority, usedKeys: Set<string>): Story {
  const { rng, at, lt } = ctx;
  const w = world();
  const kinds = Object.keys(KIND_WEIGHTS) as DeviceKind[];
  const kind = rng.weighted(
    kinds,
    kinds.map((k) => KIND_WEIGHTS[k]),
  );
  const device: Device = rng.pick(w.devices[kind]);
  const risks = RISKS[kind].filter((r) => !r.models || r.models.test(device.model));
  const risk = rng.weighted(
    risks,
    risks.map((r) => r.weight),
  );
  const [lo, hi] = BANDS[priority];
  const score = rng.int(lo, hi);
  const leadDays = Math.max(
    2,
    Math.round(rng.lognormal(priority === 'P1' ? 4 : priority === 'P2' ? 10 : 21, 0.45)),
  );
  const predicted = lt.isoDate(at + leadDays * DAY);
  const confidence = rng.int(62, 94);
  const modelName = MODEL_NAMES[kinds.indexOf(kind)]!;
  const version = `v${rng.int(1, 3)}.${rng.int(0, 9)}`;
  const spare = rng.pick(risk.spare);
  const evidence = risk.evidence(rng);
  const site = device.site;
  const title = rng.pick([
    `${device.sn} ${risk.name}（风险分 ${score}）`,
    `${site.short} ${device.label} ${risk.name}`,
    `【预测】${KIND_LABEL[kind]} ${device.sn} ${risk.name}`,
  ]);
  const description =
    `【预测性维护】${modelName} ${version} 于 ${lt.short(at)} 评估 ${site.name}${device.label}（SN：${device.sn}）近 ${rng.pick([7, 14, 30])} 天运行数据：${evidence}。\n` +
    `预测失效模式：${MODE_LABEL[risk.mode]}（${risk.name}），风险分 ${score}/100，预计 ${predicted} 前后可能失效（置信度 ${confidence}%）。\n` +
    `建议：${risk.action}。所需备件：${spare}。`;

  let key: string | null = `predict:${device.sn}:${risk.mode}:${lt.isoDate(at)}`;
  if (usedKeys.has(key)) key = null;
  else usedKeys.add(key);

  const domains: ImpactDomain[] = kind === 'medical-imaging' ? ['after-sales'] : ['production'];
  if (rng.chance(0.08)) domains.push('rnd');
  const team = kind === 'battery-line' ? 'team-line' : fieldTeamFor(site.location.lng);
  const done = rng.pick(risk.done);
  const lines: Partial<Record<Line, readonly string[]>> = {
    dispatch: ['请{who}评估并排程检修。', '转{who}，请结合备件库存排程。', ''],
    schedule: [
      `已排程于 {day} ${rng.pick(['09:00', '10:30', '14:00', '15:30'])} 检修，备件（${spare}）已出库。`,
      `已与${site.short}确认检修窗口 {day}，备件已预留。`,
      '备件已到库，安排在下一个停机窗口检修。',
    ],
    ack: ['收到，先核对历史运行数据。', '收到，已查看模型评估明细。'],
    diagnose: [
      `现场点检确认：${evidence.split('，')[0]}。`,
      '现场红外与振动点检结果与模型预测一致。',
      '现场检查发现早期劣化迹象，按计划处理。',
    ],
    progress: ['检修作业中，已执行停机挂牌。', '正在更换部件。'],
    resolve: [`${done}，风险分复评降至 ${rng.int(8, 30)}。`, `${done}。`],
    clear: [
      '现场复核设备运行参数正常，判定为传感器漂移，风险解除。',
      '复测数据正常，模型误报，已反馈模型团队标注。',
      '该设备已纳入本周计划检修并完成更换，风险解除。',
      `复核近 ${rng.int(3, 7)} 天数据，指标已回落至正常区间，风险解除。`,
    ],
    close: ['检修记录已归档。', '已更新设备台账。', ''],
  };
  return {
    typeId: 'preventive-maintenance',
    title,
    description,
    priority,
    source: 'predictive',
    businessKeys: { deviceSn: device.sn },
    domains,
    location: site.location,
    fields: {
      deviceKind: kind,
      failureMode: risk.mode,
      riskScore: score,
      predictedFailureAt: predicted,
      sparePart: spare,
    },
    idempotencyKey: key,
    createdBy: PREDICT_ENGINE,
    routing: { team },
    routedAtCreation: rng.chance(0.85),
    downtime: false,
    remote: false,
    say: (line, r, values) =>
      fill(say(r, lines[line] ?? ['']), {
        team: teamLabel(team),
        who: teamLabel(team),
        day: lt.monthDay(at + 2 * DAY),
        ...values,
      }),
    facts: { device, site },
  };
}

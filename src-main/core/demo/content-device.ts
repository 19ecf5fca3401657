import type { ActorRef, ImpactDomain, Priority, TicketSource } from '@shared/contract';
import { orderNo } from './keys';
import type { LocalTime } from './local-time';
import type { Rng } from './prng';
import {
  PRIORITIES,
  SERVICE_CRM,
  SYSTEM,
  fill,
  say,
  type Line,
  type PriorityWeights,
  type Story,
} from './story';
import { world, type Device, type DeviceKind, type Site } from './world';

/** Device faults on PV inverters, wind turbines, battery-line stations and imaging devices. */

export interface StoryContext {
  rng: Rng;
  at: number;
  lt: LocalTime;
  noc: readonly ActorRef[];
  hotline: readonly ActorRef[];
  qa: readonly ActorRef[];
}

interface Fault {
  name: string;
  code: string;
  weight: number;
  pw: PriorityWeights;
  /** Restricts the fault to some models (matched against the device's model). */
  models?: RegExp;
  /** Restricts the fault to battery stations of these steps. */
  steps?: readonly string[];
  detail: (rng: Rng, d: Device) => string;
  causes: readonly string[];
  fixes: readonly string[];
  checks: readonly string[];
  stops: boolean;
  remote?: boolean;
}

const n = (rng: Rng, a: number, b: number): number => rng.int(a, b);
const f1 = (rng: Rng, a: number, b: number): string => rng.float(a, b).toFixed(1);

const PV_FAULTS: Fault[] = [
  {
    name: '直流侧电压纹波超限',
    code: 'E-2031',
    weight: 3,
    pw: [0.05, 0.3, 0.5, 0.15],
    detail: (r) =>
      `直流母线电压纹波峰峰值 ${f1(r, 16, 48)}V，超过告警阈值 15.0V，已持续 ${n(r, 12, 95)} 分钟`,
    causes: [
      '直流母线电容容量衰减，ESR 明显偏高',
      '组串 MC4 接头接触不良导致电压波动',
      'MPPT 采样板采样异常',
      '直流开关触点氧化',
    ],
    fixes: [
      '更换直流母线电容 2 只，纹波恢复至 6.3V，运行 1 小时无复发',
      '重新压接组串 MC4 接头并紧固直流端子，纹波恢复正常',
      '更换 MPPT 采样板，告警消除',
      '更换直流开关并做绝缘测试，数据正常',
    ],
    checks: ['直流母线电容外观及容值', '各组串 MC4 接头温度', '直流开关触点状态'],
    stops: false,
  },
  {
    name: '通讯中断',
    code: 'COM-01',
    weight: 4,
    pw: [0.03, 0.2, 0.55, 0.22],
    detail: (r) =>
      `数据采集器已 ${n(r, 15, 240)} 分钟未收到该逆变器数据，最后一次上报有功功率 ${f1(r, 8, 96)}kW`,
    causes: [
      'RS485 通讯线屏蔽层破损',
      '数据采集器 4G 模块掉线',
      '逆变器通讯板故障',
      '屋面交换机端口松动',
      '通讯地址冲突',
    ],
    fixes: [
      '重新压接 RS485 通讯线并更换破损段，数据恢复上传',
      '重启数据采集器并更换物联网卡，通讯恢复',
      '更换逆变器通讯板，数据恢复',
      '重新插拔交换机端口并加固，通讯恢复正常',
      '重新配置通讯地址后恢复',
    ],
    checks: ['数据采集器指示灯', 'RS485 通讯线接线', '交换机端口'],
    stops: false,
    remote: true,
  },
  {
    name: 'IGBT 过温',
    code: 'E-4012',
    weight: 2,
    pw: [0.12, 0.4, 0.38, 0.1],
    detail: (r) => `IGBT 模块温度 ${n(r, 86, 104)}℃（保护阈值 85℃），逆变器已降额至 ${n(r, 30, 70)}% 运行`,
    causes: [
      '散热风扇停转',
      '散热器进风口积灰严重',
      '逆变器安装于彩钢瓦屋面，环境温度过高',
      'IGBT 模块导热硅脂老化',
    ],
    fixes: [
      '更换散热风扇 2 台并清理风道，IGBT 温度回落至 62℃',
      '清洗散热器积灰，温度恢复正常，满功率运行',
      '加装遮阳棚并调整风道，温度下降 14℃',
      '更换 IGBT 模块并重新涂抹导热硅脂，测试正常',
    ],
    checks: ['散热风扇运转', '散热器积灰', '柜内环境温度'],
    stops: false,
  },
  {
    name: '绝缘阻抗低',
    code: 'E-1008',
    weight: 2,
    pw: [0.1, 0.4, 0.4, 0.1],
    detail: (r) => `直流侧对地绝缘阻抗 ${n(r, 40, 480)}kΩ（限值 500kΩ），逆变器停机待并网`,
    causes: ['组串线缆在桥架转角处破皮接地', '组件接线盒进水', 'MC4 接头受潮', '雨后屋面积水浸泡线缆'],
    fixes: [
      '逐串测量定位至 PV6 组串线缆破皮，已更换 12 米线缆，绝缘恢复',
      '更换进水组件接线盒 1 个，绝缘阻抗恢复至 3.2MΩ',
      '更换受潮 MC4 接头 4 对并做防水处理，逆变器已并网',
      '疏通屋面排水并抬高线槽，绝缘恢复正常',
    ],
    checks: ['逐串绝缘测量', '组件接线盒密封', '桥架线缆外皮'],
    stops: true,
  },
  {
    name: '交流过压脱网',
    code: 'E-3002',
    weight: 2,
    pw: [0.05, 0.3, 0.45, 0.2],
    detail: (r) => `并网点 A 相电压 ${n(r, 254, 268)}V，超出上限 253V，逆变器脱网 ${n(r, 2, 9)} 次`,
    causes: ['午间负荷低导致线路末端电压抬升', '并网柜接线端子接触电阻大', '变压器分接头档位偏高'],
    fixes: [
      '调整逆变器无功控制策略（Q(U) 曲线），未再脱网',
      '紧固并网柜接线端子，电压恢复正常',
      '联系供电所调整变压器分接头档位，电压恢复至 236V',
    ],
    checks: ['并网点电压曲线', '并网柜端子温度', '变压器档位'],
    stops: true,
    remote: true,
  },
  {
    name: '直流拉弧告警（AFCI）',
    code: 'E-1205',
    weight: 1,
    pw: [0.45, 0.4, 0.15, 0],
    detail: (r) => `组串 PV${n(r, 1, 12)} 检测到直流拉弧特征信号，已触发快速关断`,
    causes: ['MC4 接头虚接烧蚀', '组件接线盒二极管击穿', '线缆被鼠咬破损'],
    fixes: [
      '更换烧蚀 MC4 接头 2 对，红外测温正常，恢复并网',
      '更换故障组件 1 块，拉弧告警消除',
      '更换破损线缆并加装防鼠套管，恢复运行',
    ],
    checks: ['组串接头是否有烧蚀痕迹', '组件背板及接线盒', '屋面消防安全'],
    stops: true,
  },
  {
    name: '组串电流失配',
    code: 'W-0215',
    weight: 3,
    pw: [0, 0.08, 0.5, 0.42],
    detail: (r) =>
      `组串 PV${n(r, 1, 12)} 电流 ${f1(r, 2, 6)}A，同 MPPT 其余组串平均 ${f1(r, 8, 10.5)}A，偏差超过 30%`,
    causes: ['组件表面严重遮挡（鸟粪/落叶）', '组件热斑', '组串保险丝熔断', '组件隐裂'],
    fixes: [
      '清洗组串组件表面，电流恢复至同串平均水平',
      '更换热斑组件 1 块，电流恢复正常',
      '更换组串保险丝，电流恢复',
      '更换隐裂组件 2 块，组串电流恢复',
    ],
    checks: ['组件表面遮挡', '组件热斑（红外）', '组串保险丝'],
    stops: false,
  },
  {
    name: '散热风扇故障',
    code: 'W-0601',
    weight: 2,
    pw: [0, 0.15, 0.55, 0.3],
    detail: (r) => `${n(r, 1, 3)} 号散热风扇转速反馈为 0，机内温度 ${n(r, 58, 79)}℃`,
    causes: ['风扇轴承卡死', '风扇电源插头松脱', '风扇控制板故障'],
    fixes: [
      '更换散热风扇 1 台，机内温度恢复至 45℃',
      '重新插紧风扇电源插头，风扇运转正常',
      '更换风扇控制板，故障消除',
    ],
    checks: ['风扇运转及异响', '风扇供电'],
    stops: false,
  },
  {
    name: '漏电流超标',
    code: 'E-1101',
    weight: 1,
    pw: [0.1, 0.45, 0.4, 0.05],
    detail: (r) => `残余电流 ${n(r, 310, 520)}mA（限值 300mA），逆变器停机保护`,
    causes: ['组件边框接地不良', '直流线缆绝缘老化', '雨天组件表面潮湿'],
    fixes: [
      '重新做组件边框接地，漏电流恢复正常',
      '更换老化直流线缆，逆变器恢复并网',
      '天气转晴后漏电流恢复，已检查接地良好',
    ],
    checks: ['接地电阻', '直流线缆绝缘'],
    stops: true,
  },
  {
    name: '输出功率骤降',
    code: 'W-0930',
    weight: 2,
    pw: [0.02, 0.2, 0.5, 0.28],
    detail: (r) => `有功功率在 5 分钟内由 ${n(r, 60, 105)}kW 降至 ${n(r, 5, 35)}kW，同站其他逆变器出力正常`,
    causes: ['两路 MPPT 输入开关跳闸', '功率模块故障', '调度限功率指令下发错误'],
    fixes: [
      '合上跳闸的直流开关并排查原因，功率恢复',
      '更换功率模块，输出恢复正常',
      '核对并修正限功率指令，出力恢复',
    ],
    checks: ['直流开关状态', '限功率指令'],
    stops: false,
    remote: true,
  },
  {
    name: '并网继电器故障',
    code: 'E-3301',
    weight: 1,
    pw: [0.08, 0.45, 0.4, 0.07],
    detail: () => '并网继电器自检失败，逆变器反复尝试并网未成功',
    causes: ['并网继电器触点粘连', '继电器驱动板故障'],
    fixes: ['更换并网继电器，自检通过，恢复并网', '更换继电器驱动板，并网正常'],
    checks: ['继电器自检记录', '驱动板供电'],
    stops: true,
  },
];

const WIND_FAULTS: Fault[] = [
  {
    name: '变桨系统故障',
    code: 'PT-0107',
    weight: 3,
    pw: [0.15, 0.45, 0.35, 0.05],
    detail: (r) =>
      `${n(r, 1, 3)} 号叶片变桨电机电流 ${n(r, 48, 75)}A 超限，机组紧急顺桨停机，停机时风速 ${f1(r, 6, 14)}m/s`,
    causes: ['变桨电机碳刷磨损', '变桨驱动器 IGBT 损坏', '变桨限位开关误动作', '变桨后备电池电压低'],
    fixes: [
      '更换变桨电机碳刷并清理滑环，手动变桨测试正常，机组并网',
      '更换变桨驱动器，变桨动作正常',
      '调整限位开关位置并紧固，复位后运行正常',
      '更换变桨后备电池组，自检通过',
    ],
    checks: ['变桨电机碳刷', '变桨驱动器故障记录', '后备电池电压'],
    stops: true,
  },
  {
    name: '齿轮箱油温高',
    code: 'GB-0311',
    weight: 2,
    pw: [0.05, 0.35, 0.45, 0.15],
    detail: (r) => `齿轮箱油温 ${n(r, 81, 92)}℃（报警值 80℃），机组限功率至 ${f1(r, 1.2, 2.0)}MW`,
    causes: ['油冷风扇电机故障', '油滤器堵塞', '散热器翅片积尘'],
    fixes: [
      '更换油冷风扇电机，油温回落至 65℃',
      '更换油滤芯并取油样送检，油温正常',
      '清洗散热器翅片，油温恢复正常',
    ],
    checks: ['油冷系统', '油滤压差', '油位油质'],
    stops: false,
  },
  {
    name: '发电机轴承温度高',
    code: 'GE-0204',
    weight: 2,
    pw: [0.1, 0.4, 0.4, 0.1],
    detail: (r) => `发电机驱动端轴承温度 ${n(r, 96, 108)}℃（报警值 95℃）`,
    causes: ['轴承润滑脂不足', '自动润滑泵故障', '轴承早期磨损'],
    fixes: [
      '补充润滑脂并检修自动润滑泵，温度回落至 72℃',
      '更换自动润滑泵，运行正常',
      '安排吊装更换轴承，试运行正常',
    ],
    checks: ['自动润滑系统', '轴承振动频谱'],
    stops: false,
  },
  {
    name: '偏航系统异常',
    code: 'YW-0402',
    weight: 2,
    pw: [0.05, 0.3, 0.5, 0.15],
    detail: (r) => `对风偏差持续 ${n(r, 12, 35)}° 超过 10 分钟，${n(r, 1, 4)} 号偏航电机过载保护`,
    causes: ['偏航刹车片磨损', '偏航电机热继电器动作', '风向标信号漂移'],
    fixes: [
      '更换偏航刹车片 4 组，偏航动作平稳',
      '复位热继电器并检查电机绝缘，运行正常',
      '校准风向标，对风偏差恢复至 3° 以内',
    ],
    checks: ['偏航刹车', '偏航电机', '风向标'],
    stops: false,
  },
  {
    name: '变流器故障',
    code: 'CV-0518',
    weight: 2,
    pw: [0.15, 0.5, 0.3, 0.05],
    detail: () => '变流器网侧 IGBT 过流保护动作，机组停机',
    causes: ['网侧 IGBT 模块损坏', '变流器冷却水泵故障', '电网电压跌落'],
    fixes: [
      '更换网侧 IGBT 模块，试运行 2 小时正常',
      '更换冷却水泵，变流器温度正常',
      '确认为电网扰动，复位后机组正常并网',
    ],
    checks: ['变流器故障录波', '冷却系统'],
    stops: true,
  },
  {
    name: '主轴承振动超限',
    code: 'VB-0701',
    weight: 1,
    pw: [0.1, 0.4, 0.4, 0.1],
    detail: (r) => `主轴承振动有效值 ${f1(r, 7.2, 11.8)}mm/s（报警值 7.1mm/s）`,
    causes: ['主轴承润滑不良', '叶轮质量不平衡', '振动传感器松动'],
    fixes: ['补充润滑脂，振动降至 3.8mm/s', '叶轮动平衡校正，振动恢复正常', '紧固振动传感器，数据恢复正常'],
    checks: ['振动频谱', '润滑状态'],
    stops: false,
  },
  {
    name: '液压站压力低',
    code: 'HY-0803',
    weight: 1,
    pw: [0.05, 0.3, 0.5, 0.15],
    detail: (r) => `液压站系统压力 ${n(r, 98, 135)}bar（正常 ≥ 140bar）`,
    causes: ['液压油泄漏', '蓄能器氮气压力不足', '液压泵电机故障'],
    fixes: [
      '更换渗漏油管接头并补油，压力恢复',
      '蓄能器补充氮气，压力正常',
      '更换液压泵电机，压力恢复至 160bar',
    ],
    checks: ['液压管路渗漏', '蓄能器预充压力'],
    stops: false,
  },
  {
    name: '风速仪故障',
    code: 'MT-0902',
    weight: 1,
    pw: [0, 0.15, 0.55, 0.3],
    detail: (r) => `风速仪读数与相邻机组偏差 ${f1(r, 3, 7)}m/s，持续 30 分钟`,
    causes: ['超声波风速仪结冰/污染', '风速仪供电模块故障'],
    fixes: ['清洁超声波风速仪探头，读数恢复正常', '更换风速仪，比对正常'],
    checks: ['风速仪探头', '供电'],
    stops: false,
  },
  {
    name: '塔基柜通讯中断',
    code: 'COM-0110',
    weight: 2,
    pw: [0.02, 0.2, 0.55, 0.23],
    detail: (r) => `SCADA 与机组通讯中断 ${n(r, 20, 180)} 分钟，机组运行状态未知`,
    causes: ['环网光纤熔接点衰减过大', '塔基柜交换机故障', '光电转换器掉电'],
    fixes: ['重新熔接光纤，链路恢复', '更换塔基柜交换机，通讯恢复', '更换光电转换器电源，通讯恢复'],
    checks: ['光纤链路', '塔基柜交换机'],
    stops: false,
    remote: true,
  },
];

const LINE_FAULTS: Fault[] = [
  {
    name: '焊接机器人报警停机',
    code: 'RB-1032',
    weight: 3,
    pw: [0.15, 0.45, 0.35, 0.05],
    steps: ['极耳焊接', '激光焊接', '密封钉焊接', '极柱激光焊接', '汇流排焊接'],
    detail: (r) => `机器人 J${n(r, 1, 6)} 轴轨迹偏差报警，工位停机，已影响 ${n(r, 20, 180)} 件在制品`,
    causes: ['焊枪/振镜位置偏移', 'J 轴减速机磨损', '工装夹具定位销磨损'],
    fixes: [
      '重新示教焊接轨迹并首件确认合格，恢复生产',
      '更换 J 轴减速机，试焊合格',
      '更换定位销并校正工装，焊接恢复正常',
    ],
    checks: ['焊接轨迹', '工装定位'],
    stops: true,
  },
  {
    name: '视觉检测相机离线',
    code: 'VS-2001',
    weight: 2,
    pw: [0.05, 0.4, 0.45, 0.1],
    detail: () => 'CCD 相机心跳丢失，视觉定位/检测无法完成，工位停止放料',
    causes: ['相机网线水晶头松动', '工控机网卡故障', '相机供电模块损坏'],
    fixes: ['重新制作网线水晶头，相机恢复在线', '更换工控机网卡，相机通讯正常', '更换相机电源模块，检测恢复'],
    checks: ['相机网线', '工控机', '相机供电'],
    stops: true,
    remote: true,
  },
  {
    name: '伺服驱动器过载',
    code: 'SV-AL16',
    weight: 2,
    pw: [0.05, 0.4, 0.45, 0.1],
    detail: (r) => `${r.pick(['X', 'Y', 'Z', 'R'])} 轴伺服驱动器报 AL.16 过载，设备急停`,
    causes: ['丝杠润滑不足阻力增大', '伺服电机编码器线缆破损', '负载超出设计值'],
    fixes: [
      '清洁丝杠并加注润滑脂，伺服负载率恢复至 45%',
      '更换编码器线缆，报警消除',
      '调整加减速参数，过载不再出现',
    ],
    checks: ['丝杠润滑', '编码器线缆'],
    stops: true,
  },
  {
    name: '拧紧枪扭矩异常',
    code: 'TQ-0305',
    weight: 2,
    pw: [0.1, 0.4, 0.45, 0.05],
    steps: ['螺栓拧紧', '模组入箱', 'BMS装配', '高压线束装配'],
    detail: (r) => `拧紧扭矩 ${f1(r, 9.1, 10.4)}N·m 超出工艺窗口 12±1N·m，连续 ${n(r, 3, 9)} 件 NG`,
    causes: ['拧紧枪传感器零点漂移', '套筒磨损打滑', '螺栓批次来料异常'],
    fixes: ['拧紧枪重新标定，扭矩复测合格', '更换套筒，连续 50 件扭矩合格', '隔离异常螺栓批次，换料后合格'],
    checks: ['拧紧枪标定', '套筒磨损', '螺栓来料'],
    stops: false,
  },
  {
    name: 'PLC 与 MES 通讯中断',
    code: 'PLC-0011',
    weight: 2,
    pw: [0.1, 0.45, 0.4, 0.05],
    detail: () => '工位 PLC 与 MES 通讯中断，产品无法过站，已切换人工记录',
    causes: ['交换机端口故障', 'MES 接口服务异常', 'PLC 通讯模块故障'],
    fixes: [
      '更换交换机端口，通讯恢复，补录过站数据',
      '重启 MES 接口服务，通讯恢复',
      '更换 PLC 通讯模块，过站正常',
    ],
    checks: ['网络链路', 'MES 接口服务'],
    stops: true,
    remote: true,
  },
  {
    name: '真空泵压力不足',
    code: 'VC-0203',
    weight: 1,
    pw: [0.05, 0.35, 0.5, 0.1],
    steps: ['注液', '烘烤', '氦检', '入壳'],
    detail: (r) => `真空度 -${n(r, 62, 84)}kPa，低于设定值 -85kPa`,
    causes: ['真空泵油乳化', '真空管路密封圈老化', '真空阀门内漏'],
    fixes: ['更换真空泵油，真空度恢复至 -95kPa', '更换管路密封圈，保压测试合格', '更换真空阀，真空度正常'],
    checks: ['真空泵油', '管路密封'],
    stops: false,
  },
  {
    name: '激光器功率衰减',
    code: 'LS-0420',
    weight: 2,
    pw: [0.05, 0.4, 0.45, 0.1],
    steps: ['极耳焊接', '激光焊接', '密封钉焊接', '极柱激光焊接', '汇流排焊接', '分切'],
    detail: (r) => `激光器实测功率 ${n(r, 2380, 2720)}W，额定 3000W，衰减超过 10%`,
    causes: ['保护镜片污染', '光纤接头损伤', '激光器泵浦源老化'],
    fixes: ['更换保护镜片，功率恢复至 2960W', '更换传输光纤，功率正常', '厂家更换泵浦模块，功率恢复'],
    checks: ['保护镜片', '光纤接头', '功率计复测'],
    stops: false,
  },
  {
    name: '气缸动作超时',
    code: 'CY-0107',
    weight: 2,
    pw: [0.02, 0.25, 0.55, 0.18],
    detail: (r) => `${r.pick(['顶升', '夹紧', '推料', '翻转'])}气缸伸出到位信号超时 ${n(r, 800, 3000)}ms`,
    causes: ['磁性开关松动', '电磁阀卡滞', '气源压力不足'],
    fixes: ['重新固定磁性开关位置，动作正常', '更换电磁阀，动作恢复', '调整减压阀至 0.55MPa，动作正常'],
    checks: ['磁性开关', '电磁阀', '气源压力'],
    stops: false,
  },
  {
    name: '扫码枪读码失败率高',
    code: 'BC-0302',
    weight: 1,
    pw: [0, 0.2, 0.55, 0.25],
    detail: (r) => `近 1 小时读码失败率 ${f1(r, 3, 12)}%，需人工补码`,
    causes: ['扫码枪镜头污染', '二维码打印质量下降', '扫码角度偏移'],
    fixes: [
      '清洁扫码枪镜头，读码率恢复至 99.9%',
      '更换打码机色带，读码正常',
      '重新调整扫码角度并固定支架，读码率恢复',
    ],
    checks: ['扫码枪镜头', '二维码打印质量'],
    stops: false,
  },
  {
    name: 'AGV 对接超时',
    code: 'AGV-0508',
    weight: 1,
    pw: [0.02, 0.25, 0.55, 0.18],
    detail: (r) => `AGV-${String(n(r, 1, 24)).padStart(2, '0')} 对接工位超时，物料无法上线`,
    causes: ['AGV 导航二维码地标磨损', '对接光电传感器脏污', '调度系统任务卡死'],
    fixes: ['更换地标二维码，AGV 对接正常', '清洁光电传感器，对接恢复', '重启调度任务，物料恢复上线'],
    checks: ['导航地标', '光电传感器', '调度系统'],
    stops: false,
    remote: true,
  },
];

const IMAGING_FAULTS: Fault[] = [
  {
    name: '球管过热保护',
    code: 'CT-T102',
    weight: 2,
    pw: [0.15, 0.45, 0.35, 0.05],
    models: /CT/,
    detail: (r) => `球管热容量达 ${n(r, 88, 99)}%，连续扫描中断，需冷却 ${n(r, 20, 60)} 分钟`,
    causes: ['球管油冷热交换器风扇故障', '机房空调制冷不足', '球管老化'],
    fixes: [
      '更换球管冷却风扇，热容量恢复正常，扫描测试通过',
      '机房空调维修后室温降至 22℃，设备恢复使用',
      '更换球管并完成校准，图像质量验收合格',
    ],
    checks: ['球管冷却系统', '机房温湿度'],
    stops: true,
  },
  {
    name: '探测器通道故障',
    code: 'CT-D215',
    weight: 2,
    pw: [0.05, 0.45, 0.45, 0.05],
    models: /CT/,
    detail: (r) => `探测器第 ${n(r, 2, 56)} 模块出现坏通道，图像出现环状伪影`,
    causes: ['探测器模块损坏', '数据采集板（DAS）接触不良'],
    fixes: ['更换探测器模块并完成空气校准，伪影消除', '重新插拔 DAS 板并校准，图像恢复正常'],
    checks: ['空气校准', 'DAS 板'],
    stops: false,
  },
  {
    name: '高压发生器故障',
    code: 'CT-G301',
    weight: 1,
    pw: [0.3, 0.5, 0.2, 0],
    models: /CT|DR|DSA/,
    detail: () => '高压发生器 kV 反馈异常，曝光中止',
    causes: ['高压电缆接头放电', '高压逆变板损坏'],
    fixes: ['更换高压电缆并处理接头，曝光测试正常', '更换高压逆变板，剂量校准合格'],
    checks: ['高压电缆', '发生器故障日志'],
    stops: true,
  },
  {
    name: '机架旋转异响',
    code: 'CT-R118',
    weight: 1,
    pw: [0.05, 0.35, 0.5, 0.1],
    models: /CT/,
    detail: () => '机架旋转时出现异响，滑环碳刷磨损报警',
    causes: ['滑环碳刷磨损', '机架轴承润滑不足'],
    fixes: ['更换滑环碳刷并清洁滑环，异响消除', '机架轴承润滑保养后运行平稳'],
    checks: ['滑环碳刷', '机架轴承'],
    stops: false,
  },
  {
    name: '液氦液位低',
    code: 'MR-H001',
    weight: 2,
    pw: [0.3, 0.5, 0.2, 0],
    models: /磁共振/,
    detail: (r) => `液氦液位 ${n(r, 52, 62)}%（报警值 60%），磁体压力 ${f1(r, 1.1, 1.9)}psi`,
    causes: ['冷头性能下降导致液氦挥发加快', '失超管接口微漏'],
    fixes: ['补充液氦 600L，液位恢复至 86%', '更换冷头并补充液氦，挥发率恢复正常'],
    checks: ['冷头温度', '磁体压力'],
    stops: false,
  },
  {
    name: '冷头压缩机停机',
    code: 'MR-C014',
    weight: 1,
    pw: [0.45, 0.45, 0.1, 0],
    models: /磁共振/,
    detail: (r) => `冷头压缩机停机，磁体压力上升至 ${f1(r, 2.1, 3.6)}psi，存在失超风险`,
    causes: ['水冷机组故障导致压缩机过温', '压缩机电源缺相'],
    fixes: ['修复水冷机组，压缩机重启，磁体压力回落', '更换压缩机供电接触器，运行正常'],
    checks: ['水冷机组', '压缩机供电'],
    stops: false,
  },
  {
    name: '梯度线圈过温',
    code: 'MR-G207',
    weight: 1,
    pw: [0.05, 0.4, 0.45, 0.1],
    models: /磁共振/,
    detail: (r) => `梯度线圈温度 ${n(r, 41, 48)}℃，扫描序列被系统中止`,
    causes: ['梯度冷却水流量不足', '水冷机滤网堵塞'],
    fixes: ['清洗水冷机滤网，流量恢复，扫描正常', '更换冷却水泵，梯度温度正常'],
    checks: ['冷却水流量'],
    stops: true,
  },
  {
    name: '射频线圈识别失败',
    code: 'MR-R311',
    weight: 1,
    pw: [0, 0.3, 0.55, 0.15],
    models: /磁共振/,
    detail: (r) =>
      `${r.pick(['头颈联合', '膝关节', '体部相控阵', '脊柱'])}线圈无法识别，相关部位检查无法进行`,
    causes: ['线圈插头针脚弯折', '线圈内部前放损坏'],
    fixes: ['校正插头针脚，线圈识别正常', '更换线圈，图像信噪比测试合格'],
    checks: ['线圈插头', '线圈信噪比'],
    stops: false,
  },
  {
    name: '平板探测器无响应',
    code: 'DR-F102',
    weight: 2,
    pw: [0.1, 0.45, 0.4, 0.05],
    models: /DR|DSA/,
    detail: () => '平板探测器无响应，曝光后无图像返回',
    causes: ['探测器电池耗尽/接触不良', '无线 AP 故障', '探测器损坏'],
    fixes: [
      '更换探测器电池并清洁触点，图像恢复',
      '更换无线 AP，探测器连接正常',
      '更换平板探测器并校准，验收合格',
    ],
    checks: ['探测器电池', '无线连接'],
    stops: true,
  },
  {
    name: 'PACS 影像传输失败',
    code: 'IT-P001',
    weight: 2,
    pw: [0.02, 0.3, 0.5, 0.18],
    detail: (r) => `近 ${n(r, 5, 40)} 例检查影像未能推送至 PACS，临床科室无法调阅`,
    causes: ['DICOM 节点配置变更', '工作站磁盘空间不足', '网络交换机端口故障'],
    fixes: [
      '修正 DICOM AE Title 配置，影像补传完成',
      '清理工作站磁盘空间，影像补传完成',
      '更换交换机端口，传输恢复',
    ],
    checks: ['DICOM 配置', '工作站磁盘'],
    stops: false,
    remote: true,
  },
];

const FAULTS: Record<DeviceKind, Fault[]> = {
  'pv-inverter': PV_FAULTS,
  'wind-turbine': WIND_FAULTS,
  'battery-line': LINE_FAULTS,
  'medical-imaging': IMAGING_FAULTS,
};

const KIND_WEIGHTS: [DeviceKind, number][] = [
  ['pv-inverter', 45],
  ['wind-turbine', 20],
  ['battery-line', 20],
  ['medical-imaging', 15],
];

/** Which field team covers a place: the east of the city and the west. */
export function fieldTeamFor(lng: number): string {
  return lng >= 120.2 ? 'team-field-east' : 'team-field-west';
}

export function pickDeviceKind(rng: Rng): DeviceKind {
  return rng.weighted(
    KIND_WEIGHTS.map((k) => k[0]),
    KIND_WEIGHTS.map((k) => k[1]),
  );
}

function faultsFor(device: Device): Fault[] {
  return FAULTS[device.kind].filter(
    (f) =>
      (!f.models || f.models.test(device.model)) &&
      (!f.steps || (device.step !== undefined && f.steps.includes(device.step))),
  );
}

function pickFault(rng: Rng, device: Device, priority: Priority, only?: string): Fault {
  const list = faultsFor(device);
  const p = PRIORITIES.indexOf(priority);
  const forced = only ? list.find((f) => f.name === only) : undefined;
  if (forced) return forced;
  const weights = list.map((f) => f.weight * (f.pw[p] ?? 0));
  if (weights.every((w) => w === 0)) return rng.pick(list);
  return rng.weighted(list, weights);
}

function impactLine(rng: Rng, device: Device, fault: Fault, priority: Priority): string {
  const severe = priority === 'P1' || priority === 'P2';
  switch (device.kind) {
    case 'pv-inverter':
      return fault.stops
        ? `该逆变器已停机，影响发电功率约 ${rng.int(40, 110)}kW。`
        : severe
          ? `逆变器降额运行，当前出力约为额定功率的 ${rng.int(35, 75)}%。`
          : rng.pick(['暂未影响并网发电，请关注告警趋势。', '发电量略有下降，暂不影响电站整体运行。']);
    case 'wind-turbine':
      return fault.stops
        ? `机组已停机，当前风速 ${rng.float(5, 13).toFixed(1)}m/s，预计每小时损失电量约 ${rng.int(900, 2600)}kWh。`
        : severe
          ? `机组限功率运行，出力受限约 ${rng.int(20, 60)}%。`
          : '机组运行中，暂未影响出力。';
    case 'battery-line':
      return fault.stops
        ? `工位停机，${device.line?.name ?? '产线'}节拍中断，已积压在制品 ${rng.int(30, 260)} 件。`
        : severe
          ? `产线降速运行，当前 UPH ${rng.int(90, 160)}（目标 ${rng.int(180, 240)}）。`
          : '暂未影响产线节拍，需择机处理。';
    case 'medical-imaging':
      return fault.stops
        ? `该机房检查已暂停，今日 ${rng.int(8, 45)} 名预约患者需改约或分流至其他机房。`
        : severe
          ? '设备可勉强使用，但图像质量/检查流程受影响，急诊检查受限。'
          : '设备可继续使用，请安排工程师尽快处理。';
  }
}

/** Joins two title parts, with a space where Latin letters or digits would otherwise touch. */
function cat(a: string, b: string): string {
  return /[A-Za-z0-9]$/.test(a) || /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
}

function deviceTitle(rng: Rng, device: Device, fault: Fault): string {
  const s = device.site;
  switch (device.kind) {
    case 'pv-inverter':
      return rng.pick([
        `逆变器 ${device.sn} ${fault.name}`,
        `${s.short} ${device.label} ${fault.name}`,
        `${s.short} ${device.label}（${device.sn}）${fault.name}`,
        `【${fault.code}】${s.short}${cat(device.label, fault.name)}`,
      ]);
    case 'wind-turbine':
      return rng.pick([
        `${s.short} ${cat(device.label, fault.name)}`,
        `${device.sn} ${fault.name}`,
        `【${fault.code}】${s.short}${cat(device.label, fault.name)}`,
      ]);
    case 'battery-line':
      return rng.pick([
        `${s.short} ${cat(device.label, fault.name)}`,
        `${s.short}${device.line?.name ?? ''} ${cat(`${device.step ?? ''}工位`, fault.name)}`,
        `${device.sn} ${fault.name}`,
      ]);
    case 'medical-imaging':
      return rng.pick([
        `${s.short} ${cat(device.label, fault.name)}`,
        `${s.short}${device.model.replace(/（.*）/, '')} ${fault.name}`,
        `${device.sn} ${fault.name}`,
      ]);
  }
}

const REPORTERS: Record<DeviceKind, readonly string[]> = {
  'pv-inverter': ['电站运维', '电站值守人员', '业主物业电工'],
  'wind-turbine': ['风场值班员', '风场运维班长'],
  'battery-line': ['车间班长', '当班设备员', '当班工艺员'],
  'medical-imaging': ['设备科', '放射科技师', '影像科主任'],
};
const ETA = ['30 分钟', '40 分钟', '1 小时', '1.5 小时', '2 小时'];

export interface DeviceFaultOptions {
  priority: Priority;
  device?: Device;
  fault?: string;
  /** Creates the site-level parent of an outage (several devices at one site). */
  siteOutage?: boolean;
}

export function deviceFaultStory(ctx: StoryContext, opts: DeviceFaultOptions): Story {
  const { rng, at, lt } = ctx;
  const w = world();
  const device = opts.device ?? rng.pick(w.devices[pickDeviceKind(rng)]);
  const site: Site = device.site;
  const priority = opts.priority;
  const fault = opts.siteOutage ? siteOutageFault() : pickFault(rng, device, priority, opts.fault);
  const detail = fault.detail(rng, device);
  const medical = device.kind === 'medical-imaging';

  let source: TicketSource;
  if (opts.siteOutage) source = 'mqtt';
  else if (medical) source = rng.weighted(['rest', 'manual', 'mqtt'] as const, [5, 3, 2]);
  else source = rng.weighted(['mqtt', 'manual', 'rest'] as const, [72, 22, 6]);

  const keys: Record<string, string> = opts.siteOutage ? { siteId: site.code } : { deviceSn: device.sn };
  const domains: ImpactDomain[] = ['production'];
  const warranty =
    medical ||
    (device.kind === 'pv-inverter' && rng.chance(0.15)) ||
    (device.kind === 'wind-turbine' && rng.chance(0.1));
  if (warranty) keys.orderNo = orderNo(rng, lt.compactDate(at));
  if (medical) domains.splice(0, 1, 'after-sales');
  else if (warranty) domains.push('after-sales');
  if (device.kind === 'battery-line' && rng.chance(0.3)) domains.push('quality');

  const when = lt.short(at);
  const impact = opts.siteOutage
    ? `全站 ${rng.int(6, 22)} 台逆变器同时离线，电站出力降为 0。`
    : impactLine(rng, device, fault, priority);
  const checks = `建议排查：${fault.checks.join('、')}。`;
  let title: string;
  let description: string;
  if (opts.siteOutage) {
    title = `${site.short} 全站${fault.name}`;
    description =
      `【监控告警】${when}，${site.name}并网点${fault.name}（告警码 ${fault.code}）。${detail}。${impact}\n` +
      `电站地址：${site.address}。\n${checks}请优先处理，各逆变器告警将关联至本工单。`;
  } else if (source === 'mqtt') {
    title = deviceTitle(rng, device, fault);
    description =
      `【监控告警】${when}，${site.name}${device.label}（SN：${device.sn}，型号：${device.model}）上报故障码 ${fault.code}「${fault.name}」。\n` +
      `${detail}。${impact}\n${checks}`;
  } else if (source === 'rest') {
    title = deviceTitle(rng, device, fault);
    description =
      `【售后报修】${site.owner}通过服务平台报修：${device.label}（SN：${device.sn}）${fault.name}。\n` +
      `${detail}。${impact}\n服务单号：${keys.orderNo ?? '—'}。客户联系人：${rng.pick(['设备科', '运维主管', '厂务工程师'])}${rng.pick(['张', '李', '王', '陈', '周', '沈', '蒋'])}工。`;
  } else {
    const reporter = rng.pick(REPORTERS[device.kind]);
    title = deviceTitle(rng, device, fault);
    description =
      `${reporter}${rng.pick(['电话反映', '现场报修', '微信群反映'])}：${site.short}${device.label}${fault.name}，${rng.pick(['现场面板显示故障码', '设备报警灯常亮，显示', '本地屏显示'])} ${fault.code}。\n` +
      `${detail}。${impact}\n${checks}`;
  }

  const createdBy: ActorRef =
    source === 'mqtt' ? SYSTEM : source === 'rest' ? SERVICE_CRM : rng.pick(ctx.noc);
  const team = device.kind === 'battery-line' ? 'team-line' : fieldTeamFor(site.location.lng);
  // A cause and the fix that goes with it (the lists are parallel where they have the same length).
  const ci = rng.int(0, fault.causes.length - 1);
  const cause = fault.causes[ci]!;
  const fix = fault.fixes.length === fault.causes.length ? fault.fixes[ci]! : rng.pick(fault.fixes);
  const spare = rng.pick(['备件', '替换件', '备品']);
  const lines: Record<Line, readonly string[]> = {
    dispatch: ['请{who}尽快安排处理。', '已派{who}，请按 SLA 响应。', '转{who}现场处理。', ''],
    ack: [
      `收到，已联系${site.short}现场人员，预计 ${rng.pick(ETA)}到达。`,
      '收到，正在调取历史告警数据。',
      `已接单，携带${spare}出发。`,
      '收到，先远程查看运行数据。',
    ],
    diagnose: [
      `现场检查：${cause}。`,
      `初步判断为${cause}，需进一步确认。`,
      `远程查看录波数据，怀疑${cause}，已安排现场核实。`,
      `到场检查，确认故障原因：${cause}。`,
    ],
    progress: [
      '正在更换部件，预计 1 小时内完成。',
      '已完成隔离措施，正在处理。',
      '厂家技术支持已远程接入协助排查。',
      '处理中，现场安全措施已落实。',
    ],
    hold: [
      `等待备件到货（${rng.pick(['IGBT 模块', '通讯板', '散热风扇', '电容组件', '驱动器', '传感器', '减速机'])}），预计 ${rng.int(1, 4)} 天。`,
      '需厂家技术支持，已提交厂家工单，等待排期。',
      '现场雷雨天气，暂停登高作业，天气好转后继续。',
      '需停电作业，等待业主确认停电窗口。',
      '等待生产计划安排停线窗口。',
    ],
    resume: [
      '备件已到货，恢复处理。',
      '厂家工程师已到场，继续处理。',
      '天气好转，恢复作业。',
      '停电窗口已确认，恢复处理。',
    ],
    resolve: [`${fix}。`, `${fix}，已通知业主确认。`, `原因：${cause}。处理：${fix}。`],
    cancel: [
      '核实为通讯抖动导致的误报，设备已自动恢复。',
      '与已有工单重复，取消本单。',
      '业主已自行处理，设备运行正常，取消。',
      '告警为调试期间误触发，取消。',
    ],
    reopen: [
      '设备再次上报同类告警，重新处理。',
      '业主反馈问题未彻底解决，重新打开。',
      '复测不合格，重新处理。',
    ],
    escalate: ['现场确认影响范围扩大，升级优先级。', '业主投诉，升级处理。', '涉及生产安全，提升优先级。'],
    close: ['已回访业主，确认运行正常。', '复核运行数据正常，关闭。', ''],
    schedule: [],
    clear: [],
    return: [],
    reply: [],
    rework: [],
    revisit: [],
  };
  return {
    typeId: 'device-fault',
    title,
    description,
    priority,
    source,
    businessKeys: keys,
    domains,
    location: site.location,
    fields: {
      deviceKind: device.kind,
      faultCode: fault.code,
      siteName: site.name,
    },
    idempotencyKey: null,
    createdBy,
    routing: { team },
    routedAtCreation: source === 'mqtt' && rng.chance(0.8),
    downtime: fault.stops,
    remote: fault.remote === true && !opts.siteOutage,
    say: (line, r, values) =>
      fill(say(r, lines[line]), { team: teamLabel(team), who: teamLabel(team), ...values }),
    facts: { device, site, siteOutage: opts.siteOutage === true },
  };
}

function siteOutageFault(): Fault {
  return {
    name: '通讯中断',
    code: 'COM-00',
    weight: 1,
    pw: [1, 0, 0, 0],
    detail: (r) => `数据采集器与箱变测控装置同时离线 ${r.int(10, 45)} 分钟，疑似站内交流失压或通讯主干中断`,
    causes: ['箱变低压侧断路器跳闸', '站内通讯主干光缆被施工挖断', '数据采集器 UPS 电池耗尽'],
    fixes: [
      '合上箱变低压侧断路器，全站恢复并网，逐台确认逆变器运行正常',
      '熔接被挖断的光缆，全站通讯恢复',
      '更换 UPS 电池，数据采集器恢复，全站数据补传完成',
    ],
    checks: ['箱变低压侧断路器', '通讯主干光缆', '数据采集器供电'],
    stops: true,
  };
}

const TEAM_LABELS: Record<string, string> = {
  'team-field-east': '东区现场组',
  'team-field-west': '西区现场组',
  'team-line': '产线保障组',
  'team-qa': '质量工程组',
};

export function teamLabel(team: string): string {
  return TEAM_LABELS[team] ?? '现场组';
}

import type { Priority } from '@shared/contract';
import type { StoryContext } from './content-device';
import { cityPlace, type CityPlace, type PlaceKind } from './geo';
import { callId, callerName, maskedPhone, sessionId } from './keys';
import type { Rng } from './prng';
import { PRIORITIES, WEB_12345, fill, say, type Line, type PriorityWeights, type Story } from './story';

/** 12345 hotline requests: what citizens call about, who handles it, how bureaus answer. */

export interface Category {
  name: string;
  /** Where such problems are: in a residential building, on a street, or either. */
  place: PlaceKind;
  dept: string;
  /** Variants (title indexes) so urgent they only come as P1/P2 (someone stuck in a lift …). */
  urgent?: readonly number[];
  /**
   * The leaf of the hotline taxonomy (`DEFAULT_TAXONOMY`) such a request is filed under: the ticket's
   * `fields.category` once it is with the right bureau, and the label classifier training learns.
   */
  taxonomyPath: string;
  /** Bureaus a request of this kind is sometimes wrongly sent to first. */
  wrong: readonly string[];
  /**
   * For each of `wrong`, the category an agent (or the classifier) mistook the request for when it went
   * there: a path the responsibility matrix gives to that bureau.
   */
  wrongPaths: readonly string[];
  /** How often such a request goes to a wrong bureau first, on an average day (0–1). */
  misroute: number;
  weight: number;
  pw: PriorityWeights;
  titles: readonly string[];
  what: readonly string[];
  demand: readonly string[];
  progress: readonly string[];
  replies: readonly string[];
}

const DEPT_NAME: Record<string, string> = {
  'dept-urban': '城市管理局',
  'dept-housing': '住房和城乡建设局',
  'dept-env': '生态环境局',
  'dept-transport': '交通运输局',
  'dept-water': '水务局',
};

export const CATEGORIES: readonly Category[] = [
  {
    name: '施工噪音',
    taxonomyPath: '环境保护/环境污染/噪音污染',
    place: 'any',
    dept: 'dept-urban',
    wrong: ['dept-housing', 'dept-env'],
    wrongPaths: ['城乡建设/建设施工/施工安全', '环境保护/环境污染/噪音污染'],
    misroute: 0.3,
    weight: 7,
    pw: [0.01, 0.18, 0.56, 0.25],
    titles: ['{p}夜间施工噪音扰民', '{p}工地深夜施工噪音大', '{p}凌晨施工影响休息', '{p}周末施工噪音扰民'],
    what: [
      '{p}附近工地每天晚上施工到凌晨{h}点左右，打桩和渣土车声音很大',
      '{p}旁边的在建工地夜间使用切割机、电锤作业，噪音非常大',
      '{p}附近道路施工，晚上{h}点以后还在破碎路面',
      '{p}对面工地凌晨浇筑混凝土，泵车声音持续整晚',
    ],
    demand: [
      '请相关部门核实是否办理夜间施工许可，如无许可请依法制止',
      '希望夜间停止施工，保障居民正常休息',
      '请督促施工单位合理安排作业时间',
    ],
    progress: [
      '已安排执法队员夜间蹲点核查。',
      '已联系施工单位负责人，要求出示夜间施工许可。',
      '执法中队已于当晚到场检查。',
    ],
    replies: [
      '经{street}综合行政执法中队夜间核查，该工地未办理夜间施工许可，已依法立案调查并责令停止夜间施工',
      '经核查，该工地持有混凝土连续浇筑夜间施工许可，已要求施工单位采取降噪措施并提前告知周边居民',
      '经核查，施工单位已调整作业时间，22 时后不再进行高噪音作业，后续将加强巡查',
    ],
  },
  {
    name: '生活噪音',
    taxonomyPath: '环境保护/环境污染/噪音污染',
    place: 'building',
    dept: 'dept-urban',
    wrong: ['dept-env'],
    wrongPaths: ['环境保护/环境污染/噪音污染'],
    misroute: 0.25,
    weight: 5,
    pw: [0, 0.08, 0.55, 0.37],
    titles: ['{p}商铺外放音响噪音扰民', '{p}广场舞音响声音过大', '{p}空调外机噪音扰民', '{p}酒吧夜间噪音大'],
    what: [
      '{p}一楼商铺每天在门口用音响大声播放促销广告',
      '{p}附近广场每天晚上跳广场舞，音响开得很大，一直到晚上{h}点',
      '{p}楼下餐馆的空调外机和排风机昼夜运转，噪音很大',
      '{p}附近酒吧每天营业到凌晨，音乐声和顾客喧哗声很大',
    ],
    demand: ['请相关部门督促整改', '希望控制音量和时间', '请核实处理，还居民安静'],
    progress: ['已安排执法队员现场查看。', '已约谈商户负责人。', '已联系社区协调处理。'],
    replies: [
      '经{street}综合行政执法中队现场核查，已要求商户停止外放音响，商户已整改',
      '经社区协调，广场舞团队已同意降低音量并于 21 时前结束',
      '经核查，已督促商户对空调外机加装减振垫和隔音罩，噪音明显降低',
      '经夜间核查，已责令酒吧关闭门窗、控制音量，并告知 23 时后不得外放音乐，后续将加强夜间巡查',
    ],
  },
  {
    name: '违章搭建',
    taxonomyPath: '城乡建设/城乡规划/违章建筑',
    place: 'building',
    dept: 'dept-urban',
    wrong: ['dept-housing'],
    wrongPaths: ['城乡建设/住房与物业/物业管理'],
    misroute: 0.15,
    weight: 6,
    pw: [0, 0.1, 0.55, 0.35],
    titles: ['{p}楼顶违章搭建', '{p}住户私自扩建阳台', '{p}一楼住户违规圈占绿地搭建', '{p}商铺违规搭建雨棚'],
    what: [
      '{p}顶楼住户在楼顶搭建彩钢棚，存在安全隐患',
      '{p}有住户正在封闭露台并向外扩建，已经施工好几天',
      '{p}一楼住户私自圈占公共绿地并搭建玻璃房',
      '{p}沿街商铺违规搭建大面积雨棚，占用人行道',
    ],
    demand: ['请相关部门依法查处', '希望尽快拆除，恢复原状', '请核实是否有审批手续'],
    progress: ['已现场取证，正在核实审批手续。', '已下达责令限期改正通知书。', '已联系社区和物业了解情况。'],
    replies: [
      '经核查，该搭建无审批手续，已下达限期拆除通知书，当事人已于期限内自行拆除',
      '经核查属实，已依法立案，当事人已停止施工并承诺自行拆除，执法中队将跟踪复查',
      '经核查，该构筑物系小区改造临时设施，施工结束后将拆除，已向市民解释',
    ],
  },
  {
    name: '占道经营',
    taxonomyPath: '商贸旅游/商贸流通/占道经营',
    place: 'street',
    dept: 'dept-urban',
    wrong: ['dept-transport'],
    wrongPaths: ['交通运输/道路交通/交通安全'],
    misroute: 0.12,
    weight: 6,
    pw: [0, 0.08, 0.55, 0.37],
    titles: ['{p}流动摊贩占道经营', '{p}夜市摊位占用人行道', '{p}水果店出店经营', '{p}早餐摊占道影响通行'],
    what: [
      '{p}每天傍晚有很多流动摊贩在人行道上摆摊，行人只能走机动车道',
      '{p}夜宵摊把桌椅摆到人行道上，油烟和垃圾很多',
      '{p}水果店把货架摆到店外人行道上，占用盲道',
      '{p}早上有早餐摊占道经营，影响学生上学通行',
    ],
    demand: ['请加强管理', '希望规范经营秩序', '请城管部门处理'],
    progress: ['已安排队员巡查并劝离。', '已约谈店主，要求退店经营。', '已将该点位纳入重点巡查。'],
    replies: [
      '经{street}综合行政执法中队现场核查，已劝离流动摊贩，并将该点位纳入早晚高峰重点巡查',
      '经核查，已责令店主退店经营，店主已整改，盲道恢复通行',
      '已对占道经营摊点进行整治，并联系社区引导摊贩进入规范疏导点经营',
    ],
  },
  {
    name: '路灯故障',
    taxonomyPath: '城乡建设/市政管理/道路与路灯',
    place: 'street',
    dept: 'dept-urban',
    wrong: ['dept-transport'],
    wrongPaths: ['交通运输/运输管理/公路建设'],
    misroute: 0.15,
    weight: 6,
    pw: [0.01, 0.22, 0.55, 0.22],
    urgent: [3],
    titles: ['{p}路灯不亮', '{p}一整段路灯不亮', '{p}路灯白天常亮', '{p}路灯灯杆倾斜'],
    what: [
      '{p}有 {n} 盏路灯不亮，晚上路面很黑，存在安全隐患',
      '{p}整段路灯已经 {d} 天晚上都不亮，行人和电动车通行很危险',
      '{p}的路灯白天一直亮着，浪费电',
      '{p}一根路灯灯杆被车撞后倾斜，随时可能倒下',
    ],
    demand: ['请尽快维修', '希望尽快恢复照明', '请派人查看处理'],
    progress: ['已转路灯养护单位现场检修。', '养护人员已到场排查线路。', '已设置临时警示标志。'],
    replies: [
      '经核查，已更换损坏的灯具 {n} 套，路灯恢复照明',
      '经路灯养护单位现场检修，系电缆故障导致，已更换电缆，路灯恢复正常照明',
      '已调整路灯控制器时间设置，路灯白天常亮问题已解决',
      '已对倾斜灯杆进行拆除并重新安装，隐患已消除',
    ],
  },
  {
    name: '垃圾清运',
    taxonomyPath: '城乡建设/市政管理/园林绿化环卫',
    place: 'any',
    dept: 'dept-urban',
    wrong: ['dept-env'],
    wrongPaths: ['环境保护/环境污染/固体废物污染'],
    misroute: 0.18,
    weight: 6,
    pw: [0, 0.12, 0.55, 0.33],
    titles: ['{p}垃圾清运不及时', '{p}垃圾桶满溢无人清理', '{p}建筑垃圾乱堆放', '{p}垃圾中转站异味大'],
    what: [
      '{p}的垃圾已经 {d} 天没有人来清运，气味很大',
      '{p}的分类垃圾桶经常满溢，清运车来得不及时',
      '{p}有人在路边倾倒装修垃圾，越堆越多',
      '{p}附近垃圾中转站异味很大，蚊蝇很多',
    ],
    demand: ['请尽快清运', '请加强清运频次', '请查处乱倒垃圾行为'],
    progress: ['已通知环卫作业单位清运。', '已安排车辆现场清运。', '已调取监控追查倾倒人。'],
    replies: [
      '已通知辖区环卫作业单位当日完成清运，并督促作业单位按时清运',
      '已通知辖区环卫作业单位对满溢垃圾进行清运，并将该点位清运频次由每日 1 次调整为 2 次',
      '已清运建筑垃圾约 {n} 吨，并在该点位设置警示牌、加装监控',
      '已对中转站进行冲洗消杀，并督促作业单位做到日产日清',
    ],
  },
  {
    name: '井盖缺失破损',
    taxonomyPath: '城乡建设/市政管理/供水供气',
    place: 'street',
    dept: 'dept-water',
    wrong: ['dept-urban', 'dept-transport'],
    wrongPaths: ['城乡建设/市政管理/道路与路灯', '交通运输/道路交通/交通安全'],
    misroute: 0.35,
    weight: 3,
    pw: [0.18, 0.45, 0.32, 0.05],
    urgent: [0],
    titles: ['{p}井盖缺失', '{p}窨井盖破损存在安全隐患', '{p}井盖松动车辆经过响声大', '{p}雨水井盖下沉'],
    what: [
      '{p}人行道上有一个井盖不见了，很危险，已经有行人差点掉下去',
      '{p}机动车道上的窨井盖破损，车辆经过时晃动厉害',
      '{p}的井盖松动，每次车辆经过都发出很大的响声',
      '{p}雨水井盖下沉，形成一个坑，电动车经过容易摔倒',
    ],
    demand: ['请尽快处理，避免发生意外', '请立即设置警示并维修', '希望尽快更换井盖'],
    progress: ['已安排人员现场设置围挡警示。', '已核实井盖权属，通知养护单位。', '养护单位已到场处置。'],
    replies: [
      '经核查，该井盖属排水设施，养护单位已于当日补装防坠网和新井盖，隐患已消除',
      '已更换破损井盖并对井座进行加固，车辆通行正常',
      '经核查该井盖为通信井，已通知权属单位处理，现已更换完毕',
    ],
  },
  {
    name: '餐饮油烟',
    taxonomyPath: '环境保护/环境污染/大气污染',
    place: 'building',
    dept: 'dept-urban',
    wrong: ['dept-env'],
    wrongPaths: ['环境保护/环境污染/大气污染'],
    misroute: 0.3,
    weight: 5,
    pw: [0, 0.1, 0.58, 0.32],
    titles: [
      '{p}餐馆油烟直排扰民',
      '{p}烧烤店油烟污染',
      '{p}餐饮店油烟净化器未开启',
      '{p}小吃店排烟管道噪音油烟大',
    ],
    what: [
      '{p}楼下的餐馆油烟直排，每天中午和傍晚油烟很大，窗户都不敢开',
      '{p}附近烧烤店露天烧烤，油烟飘进小区',
      '{p}底商餐饮店的排烟口正对居民楼，油烟净化器好像没开',
      '{p}新开的小吃店排烟管道直接接到外墙，油烟和噪音都很大',
    ],
    demand: ['请督促商家安装油烟净化设施', '请核实处理', '希望商家整改排烟口位置'],
    progress: ['已安排执法队员现场检查油烟净化设施。', '已调取油烟在线监测数据。', '已约谈餐饮店负责人。'],
    replies: [
      '经{street}综合行政执法中队现场检查，该店未安装油烟净化设施，已责令限期安装，现已安装到位',
      '已责令烧烤店停止露天烧烤，商家已整改',
      '经{street}综合行政执法中队现场检查，该店油烟净化器未正常使用，已责令整改并立案处罚，现已正常开启',
      '经核查，已督促商家清洗油烟净化器并将排烟口改至楼顶高空排放',
    ],
  },
  {
    name: '废气异味',
    taxonomyPath: '环境保护/环保执法/企业排污',
    place: 'any',
    dept: 'dept-env',
    wrong: ['dept-urban'],
    wrongPaths: ['城乡建设/市政管理/园林绿化环卫'],
    misroute: 0.18,
    weight: 3,
    pw: [0.03, 0.22, 0.5, 0.25],
    titles: ['{p}附近工厂异味扰民', '{p}夜间刺鼻气味', '{p}企业废气排放异味', '{p}污水处理厂异味大'],
    what: [
      '{p}附近工厂每天晚上排放刺鼻气味，闻着头晕',
      '最近晚上{h}点左右，{p}一带有很重的化工气味',
      '{p}附近企业烟囱冒黄烟，有刺激性气味',
      '{p}附近污水处理设施异味较大，影响周边居民',
    ],
    demand: ['请环保部门核查是否超标排放', '请查明异味来源并处理', '希望加强夜间监管'],
    progress: [
      '已安排执法人员现场走访排查。',
      '已对周边企业开展夜间突击检查。',
      '已调取周边空气自动监测站数据。',
    ],
    replies: [
      '经核查，周边一家印染企业废气处理设施运行不正常，已立案调查并责令整改',
      '经夜间巡查和走航监测，未发现企业超标排放，已将该区域纳入重点巡查',
      '经现场检查，一家化工企业锅炉燃烧不充分导致冒黄烟，已责令停产整改',
      '经核查，异味来源于污水处理设施检修期间，检修已完成，异味消除',
    ],
  },
  {
    name: '道路破损',
    taxonomyPath: '交通运输/运输管理/公路建设',
    place: 'street',
    dept: 'dept-transport',
    wrong: ['dept-urban'],
    wrongPaths: ['城乡建设/市政管理/道路与路灯'],
    misroute: 0.3,
    weight: 5,
    pw: [0.03, 0.22, 0.55, 0.2],
    titles: ['{p}路面坑洼', '{p}路面塌陷', '{p}人行道砖松动破损', '{p}减速带损坏'],
    what: [
      '{p}路面有多处坑洼，下雨积水后看不清，车辆经过容易爆胎',
      '{p}路面出现塌陷，面积约 {n} 平方米，存在安全隐患',
      '{p}人行道砖松动，下雨天踩上去会溅水，老人容易摔倒',
      '{p}的减速带被压坏，螺丝外露',
    ],
    demand: ['请尽快修复', '请设置警示标志并维修', '希望尽快处理'],
    progress: ['已通知道路养护单位现场查看。', '已设置临时警示围挡。', '养护单位已安排修补。'],
    replies: [
      '经道路养护单位现场核查，已对坑洼路面进行沥青修补，道路恢复平整',
      '经核查，塌陷系地下管线渗漏导致，已联合管线单位完成修复并恢复路面',
      '已更换松动人行道砖约 {n} 平方米',
      '已更换损坏的减速带',
    ],
  },
  {
    name: '公交出行',
    taxonomyPath: '交通运输/公共交通/公交线路',
    place: 'street',
    dept: 'dept-transport',
    wrong: ['dept-urban'],
    wrongPaths: ['城乡建设/市政管理/道路与路灯'],
    misroute: 0.08,
    weight: 3,
    pw: [0, 0.05, 0.5, 0.45],
    titles: ['{p}公交站台破损', '建议增设{p}公交站点', '{p}公交车发车间隔过长', '{p}公交司机不按站停靠'],
    what: [
      '{p}的公交站台顶棚破损，下雨天无法避雨',
      '{p}附近新建小区入住居民多，最近的公交站要走 {n} 分钟，建议增设站点',
      '{p}经过的公交线路早高峰发车间隔太长，经常要等 {n} 分钟以上',
      '{p}公交站有车辆不按站停靠，直接开走',
    ],
    demand: ['请核实处理', '希望优化线路', '请加强管理'],
    progress: ['已转公交集团核实。', '已调取车载视频核查。'],
    replies: [
      '经公交集团核查，已对站台顶棚进行维修',
      '已将增设站点建议纳入线网优化研究，待调研后统筹考虑，已向市民解释',
      '经核查，已对该线路早高峰加密班次，发车间隔缩短至 8 分钟',
      '经调取视频核实，驾驶员存在不按站停靠行为，已对其进行教育并按规定考核',
    ],
  },
  {
    name: '共享单车',
    taxonomyPath: '交通运输/道路交通/停车管理',
    place: 'street',
    dept: 'dept-urban',
    wrong: ['dept-transport'],
    wrongPaths: ['交通运输/道路交通/交通安全'],
    misroute: 0.22,
    weight: 3,
    pw: [0, 0.05, 0.5, 0.45],
    titles: ['{p}共享单车乱停放', '{p}共享单车堆积堵塞通道', '{p}地铁口共享单车占道'],
    what: [
      '{p}大量共享单车乱停乱放，把人行道堵死了',
      '{p}的共享单车堆积如山，消防通道被占用',
      '{p}地铁站出口共享单车停放混乱，早高峰进出困难',
    ],
    demand: ['请督促企业清理', '请加强停放管理'],
    progress: ['已通知各共享单车企业调度清理。', '已安排队员现场整理。'],
    replies: [
      '已督促共享单车企业调度清运车辆 {n} 余辆，并增设电子围栏停放点',
      '已对该区域车辆进行整理，并要求企业增加早晚高峰运维人员',
    ],
  },
  {
    name: '停水水压',
    taxonomyPath: '城乡建设/市政管理/供水供气',
    place: 'building',
    dept: 'dept-water',
    wrong: ['dept-housing'],
    wrongPaths: ['城乡建设/住房与物业/物业管理'],
    misroute: 0.12,
    weight: 4,
    pw: [0.05, 0.35, 0.45, 0.15],
    titles: ['{p}突然停水', '{p}水压不足高层没水', '{p}自来水发黄', '{p}停水未提前通知'],
    what: [
      '{p}从今天{h}点开始停水，没有看到任何停水通知',
      '{p}高层住户每天早晚用水高峰水压很低，热水器都打不着火',
      '{p}自来水出水发黄，有异味',
      '{p}已经停水 {d} 个小时，家里有老人孩子，生活很不方便',
    ],
    demand: ['请尽快恢复供水', '请查明原因并告知恢复时间', '请检测水质'],
    progress: ['已联系供水集团核实停水原因。', '抢修人员已到场。', '已安排水质采样检测。'],
    replies: [
      '经核实，系 {road} 供水管道爆管抢修导致停水，已于当日恢复供水，已向市民致歉',
      '经供水集团核查，系小区二次供水设备故障，已维修，水压恢复正常',
      '经对该点位水质采样检测，各项指标符合标准，发黄系管道检修后放水不充分导致，已冲洗管道',
      '经核实，系计划停水施工未及时张贴通知，已要求供水企业规范停水公告，供水已恢复',
    ],
  },
  {
    name: '排水不畅',
    taxonomyPath: '城乡建设/市政管理/供水供气',
    place: 'any',
    dept: 'dept-water',
    wrong: ['dept-urban', 'dept-housing'],
    wrongPaths: ['城乡建设/市政管理/园林绿化环卫', '城乡建设/住房与物业/物业管理'],
    misroute: 0.3,
    weight: 4,
    pw: [0.05, 0.3, 0.5, 0.15],
    titles: ['{p}污水冒溢', '{p}下水道堵塞臭味大', '{p}雨后积水严重', '{p}化粪池满溢'],
    what: [
      '{p}的污水井冒溢，污水流到路面上，臭味很大',
      '{p}下水道堵塞，每次下雨都返水',
      '{p}每次下雨都严重积水，积水深度 {n} 厘米左右，车辆无法通行',
      '{p}化粪池满溢，污水流到绿化带里',
    ],
    demand: ['请尽快疏通', '请彻底解决积水问题', '请派人处理'],
    progress: ['已安排养护单位现场疏通。', '已调派抽水车辆。', '已对管网进行 CCTV 检测。'],
    replies: [
      '经养护单位现场处置，已清理冒溢点并疏通下游管道，污水不再外溢',
      '经养护单位现场疏通，清理管道淤泥约 {n} 立方米，排水恢复正常',
      '经核查，积水系雨水管网排水能力不足，已列入年度提标改造计划，汛期前将增设临时强排设备',
      '已对化粪池进行清掏，并督促物业定期维护',
    ],
  },
  {
    name: '河道水质',
    taxonomyPath: '环境保护/环境污染/水污染',
    place: 'street',
    dept: 'dept-water',
    wrong: ['dept-env'],
    wrongPaths: ['环境保护/环保执法/企业排污'],
    misroute: 0.2,
    weight: 2,
    pw: [0.02, 0.18, 0.55, 0.25],
    titles: ['{p}河道漂浮物多', '{p}河水发黑发臭', '{p}河道疑似偷排污水', '{p}河边护栏损坏'],
    what: [
      '{p}旁边的河道漂浮物很多，有塑料袋和死鱼',
      '{p}的河水最近发黑发臭',
      '{p}河道排口每天晚上排放浑浊的水',
      '{p}河边护栏断了一段，小孩在边上玩很危险',
    ],
    demand: ['请尽快清理', '请查明排污来源', '请尽快维修护栏'],
    progress: ['已通知河道保洁单位打捞。', '已对排口进行采样。', '已联系河长办。'],
    replies: [
      '已安排保洁船对河道漂浮物进行打捞，并加密保洁频次',
      '经排查，系上游雨污混接排口所致，已完成封堵改造，水质逐步好转',
      '经夜间蹲守和溯源排查，系沿河一家洗车店偷排污水，已移交执法部门立案查处',
      '已修复损坏护栏约 {n} 米',
    ],
  },
  {
    name: '电梯故障',
    taxonomyPath: '城乡建设/住房与物业/物业管理',
    place: 'building',
    dept: 'dept-housing',
    wrong: ['dept-urban'],
    wrongPaths: ['政法/治安管理/消防安全'],
    misroute: 0.08,
    weight: 3,
    pw: [0.15, 0.35, 0.4, 0.1],
    urgent: [1],
    titles: ['{p}电梯经常故障', '{p}电梯困人', '{p}电梯停运多日无人维修', '{p}老旧小区加装电梯进度'],
    what: [
      '{p}的电梯经常出故障，上个月已经困人 {n} 次',
      '{p}刚才电梯困人，物业到现在还没来',
      '{p}的电梯已经停运 {d} 天，物业说在等配件，楼上老人下不了楼',
      '{p}加装电梯已经签字同意很久，一直没有动工',
    ],
    demand: ['请督促物业和维保单位尽快维修', '请尽快处理', '希望加快加装电梯进度'],
    progress: ['已联系物业和电梯维保单位。', '已督促维保单位到场。', '已联系街道加梯办了解进度。'],
    replies: [
      '经核查，已督促物业和电梯维保单位更换曳引机控制板，电梯已恢复运行并通过检测',
      '接诉后维保人员已到场解困，人员安全，已要求维保单位全面检修',
      '经核查，电梯主板配件已到货，维保单位已完成更换，电梯恢复运行',
      '经核查，该加装电梯项目已完成审批，施工单位计划下月进场施工，已向市民解释',
    ],
  },
  {
    name: '物业纠纷',
    taxonomyPath: '城乡建设/住房与物业/物业管理',
    place: 'building',
    dept: 'dept-housing',
    wrong: ['dept-urban'],
    wrongPaths: ['民政/民政事务/社区管理'],
    misroute: 0.12,
    weight: 4,
    pw: [0, 0.05, 0.5, 0.45],
    titles: ['{p}物业服务不到位', '{p}物业擅自涨价', '{p}小区公共收益不公开', '{p}物业不作为楼道堆物'],
    what: [
      '{p}物业服务很差，小区卫生没人打扫，门禁坏了很久没修',
      '{p}物业通知要上调物业费，没有经过业主大会表决',
      '{p}小区电梯广告、停车费等公共收益从来没有公示',
      '{p}楼道里堆满杂物，物业不管，存在消防隐患',
    ],
    demand: ['请住建部门督促物业整改', '请核实物业涨价是否合规', '请督促物业公开公共收益'],
    progress: ['已联系街道物业办和社区了解情况。', '已约谈物业公司项目经理。'],
    replies: [
      '经街道物业办核查，已约谈物业公司并下发整改通知，门禁已修复，保洁频次已增加',
      '经核查，物业费调价未经业主大会表决，已责令物业暂停调价',
      '已督促物业公司在小区公告栏公示近一年公共收益明细',
      '已督促物业清理楼道堆物，并纳入社区消防巡查',
    ],
  },
  {
    name: '工地扬尘',
    taxonomyPath: '城乡建设/建设施工/施工安全',
    place: 'any',
    dept: 'dept-housing',
    wrong: ['dept-env', 'dept-urban'],
    wrongPaths: ['环境保护/环境污染/大气污染', '城乡建设/市政管理/园林绿化环卫'],
    misroute: 0.3,
    weight: 3,
    pw: [0, 0.15, 0.55, 0.3],
    titles: ['{p}工地扬尘严重', '{p}渣土车带泥上路', '{p}工地裸土未覆盖'],
    what: [
      '{p}附近工地扬尘很大，车辆进出没有冲洗，路面都是泥',
      '{p}渣土车带泥上路，还有抛洒滴漏',
      '{p}工地大面积裸土没有覆盖，刮风时灰尘很大',
    ],
    demand: ['请督促工地落实扬尘管控措施', '请查处渣土车违规行为'],
    progress: ['已安排建设工程监管人员现场检查。', '已联系施工单位。'],
    replies: [
      '经现场检查，已责令施工单位增设雾炮和车辆冲洗设施，出入口路面已清洗，已整改到位',
      '已对违规渣土车运输企业进行约谈，并联合交警开展专项整治',
      '经现场检查，已责令施工单位对裸土全覆盖，已整改到位',
    ],
  },
  {
    name: '树木绿化',
    taxonomyPath: '城乡建设/市政管理/园林绿化环卫',
    place: 'street',
    dept: 'dept-urban',
    wrong: ['dept-housing'],
    wrongPaths: ['城乡建设/住房与物业/物业管理'],
    misroute: 0.15,
    weight: 3,
    pw: [0.03, 0.17, 0.5, 0.3],
    urgent: [2],
    titles: ['{p}行道树倾斜存在隐患', '{p}树枝遮挡信号灯', '{p}树木倒伏', '{p}绿化带杂草丛生'],
    what: [
      '{p}的行道树严重倾斜，随时可能倒下，下面是人行道',
      '{p}的树枝遮挡红绿灯，司机看不清信号灯',
      '{p}有一棵大树被风刮倒，压住了路边的车',
      '{p}的绿化带很久没人打理，杂草比人高',
    ],
    demand: ['请尽快处理', '请修剪树枝', '请清理'],
    progress: ['已通知园林养护单位。', '养护单位已到场处置。'],
    replies: [
      '已对倾斜树木进行扶正加固',
      '已对遮挡信号灯的树枝进行修剪',
      '已清理倒伏树木，道路恢复通行',
      '已安排养护单位对绿化带除草修剪',
    ],
  },
];

const SINCE = [
  '已持续一周左右',
  '近半个月来每天如此',
  '已有两三天',
  '今天早上发现的',
  '已经反映过多次未解决',
  '从上周开始',
  '已经一个多月了',
  '',
];
const MOOD = [
  '市民情绪较激动。',
  '市民表示已多次反映。',
  '市民希望尽快处理。',
  '',
  '',
  '市民表示如不处理将继续投诉。',
];
const SATISFACTION = [
  '市民表示满意',
  '市民对处理结果表示认可',
  '市民基本满意',
  '市民未接听，已短信告知处理结果',
  '市民表示理解',
];
const CHANNEL_LABEL = {
  phone: '12345 热线来电',
  web: '12345 网站',
  app: '浙里办 App',
  wechat: '12345 微信公众号',
} as const;
type Channel = keyof typeof CHANNEL_LABEL;

export function categoryFor(rng: Rng, priority: Priority): number {
  const p = PRIORITIES.indexOf(priority);
  return rng.index(CATEGORIES.map((c) => c.weight * (c.pw[p] ?? 0) + 1e-6));
}

export function deptName(id: string): string {
  return DEPT_NAME[id] ?? '承办单位';
}

export interface CitizenOptions {
  priority: Priority;
  /** Repeat call about the same problem as an earlier request. */
  duplicateOf?: { category: number; variant: number; place: CityPlace };
}

export function citizenStory(
  ctx: StoryContext,
  opts: CitizenOptions,
): Story & { place: CityPlace; categoryIndex: number; variant: number } {
  const { rng, at, lt } = ctx;
  const categoryIndex = opts.duplicateOf?.category ?? categoryFor(rng, opts.priority);
  const c = CATEGORIES[categoryIndex]!;
  // Title, account and answer describe the same problem: one variant index runs through them.
  const urgentOk = opts.priority === 'P1' || opts.priority === 'P2';
  const variants = c.titles.map((_, i) => i).filter((i) => urgentOk || !c.urgent?.includes(i));
  const variant = opts.duplicateOf?.variant ?? rng.pick(variants);
  const aligned = <T>(list: readonly T[]): T =>
    list.length === c.titles.length ? list[variant]! : rng.pick(list);
  const place = opts.duplicateOf?.place ?? cityPlace(rng, undefined, c.place);
  const channel: Channel = rng.weighted(['phone', 'wechat', 'app', 'web'] as const, [60, 15, 15, 10]);
  const caller = callerName(rng);
  const phone = maskedPhone(rng);
  const values = {
    p: place.short,
    h: rng.pick([11, 12, 1, 2, 3]),
    n: rng.int(2, 30),
    d: rng.int(2, 7),
    road: rng.pick(place.street.district.roads),
    street: place.street.name,
  };
  const title = fill(c.titles[variant]!, values);
  const intro =
    channel === 'phone' ? `市民${caller}来电反映：` : `市民${caller}通过${CHANNEL_LABEL[channel]}反映：`;
  const what = aligned(c.what);
  // Only add how long it has been going on when the account does not already say so.
  const since = /\{d\}|天|已经|刚才|最近|凌晨|很久/.test(what) ? '' : rng.pick(SINCE);
  const replyRequired = rng.chance(0.7);
  const again = opts.duplicateOf ? rng.pick(['此前已有市民反映，', '市民称周边邻居也已反映过，', '']) : '';
  const description =
    `${intro}${again}${fill(what, values)}${since ? `，${since}` : ''}。${rng.pick(MOOD)}\n` +
    `诉求：${fill(rng.pick(c.demand), values)}。\n` +
    `地址：${place.address}。联系电话：${phone}。${replyRequired ? '需回访。' : '无需回访。'}`;
  const keys: Record<string, string> =
    channel === 'phone'
      ? { callId: callId(rng, lt.compactDate(at), lt.compactTime(at)) }
      : { sessionId: sessionId(rng, channel) };
  const bureau = deptName(c.dept);
  const lines: Partial<Record<Line, readonly string[]>> = {
    dispatch: [`请${bureau}核实处理，并按时限答复市民。`, '请承办单位及时联系市民并现场核实。', '', ''],
    progress: c.progress,
    reply: [
      `${aligned(c.replies)}。已于 {date} ${rng.pick(['电话', '电话', '短信'])}回复市民，${rng.pick(SATISFACTION)}。`,
    ],
    rework: [
      '回访时市民表示问题仍然存在，对答复不满意，退回重办。',
      '市民反映整改后问题反弹，要求重新处理。',
      '回访不满意：市民认为答复未解决实际问题。',
    ],
    revisit: [
      '已回访市民，对处理结果满意，办结。',
      '回访市民，表示认可，同意办结。',
      '市民未接听回访电话，按规定办结。',
      '',
    ],
    close: ['', '回访满意，办结。'],
  };
  return {
    typeId: 'citizen-request',
    title,
    description,
    priority: opts.priority,
    source: channel === 'phone' ? 'hotline' : 'rest',
    businessKeys: keys,
    domains: [],
    location: place.location,
    fields: {
      category: c.taxonomyPath,
      callerName: caller,
      callerPhone: phone,
      channel,
      replyRequired,
    },
    idempotencyKey: null,
    createdBy: channel === 'phone' ? rng.pick(ctx.hotline) : WEB_12345,
    routing: { dept: c.dept, wrongDept: rng.pick(c.wrong) },
    routedAtCreation: channel === 'phone' && rng.chance(0.85),
    downtime: false,
    remote: false,
    say: (line, r, extra) => {
      if (line === 'return') {
        return r.pick([
          `经核实，该诉求属于${bureau}职责范围，非我单位管辖，请重新派发。`,
          `该点位不属于我单位管辖范围，建议转${bureau}办理。`,
          `诉求内容涉及${c.name}，应由${bureau}承办，退回。`,
        ]);
      }
      return fill(say(r, lines[line] ?? ['']), { ...values, ...extra });
    },
    facts: { category: categoryIndex },
    place,
    categoryIndex,
    variant,
  };
}

import type { IncomingCall } from '@shared/contract';

/**
 * The demo's simulated citizen calls. Every text below was written for this project (no data set is
 * copied); addresses are places of the demo city's gazetteer (Hangzhou demo grid). Some calls carry
 * coordinates from the caller's app (WGS84, inside a grid cell), one names a road the gazetteer cannot
 * tell apart from its neighbours (文四路 → 文一路/文二路/文三路: the agent must choose), and one has no
 * address at all (the agent asks the caller).
 */

export interface DemoCallTemplate {
  channel: IncomingCall['channel'];
  callerName: string | null;
  /** Unmasked, as telephony delivers it; the queue masks it. */
  callerPhone: string | null;
  text: string;
  address: string | null;
  place: { lng: number; lat: number } | null;
  /** What routing the address or place should give (checked by the tests). */
  expect: 'located' | 'ambiguous' | 'no-place';
}

const call = (
  callerName: string | null,
  callerPhone: string | null,
  text: string,
  where: string | { lng: number; lat: number } | null,
  channel: IncomingCall['channel'] = 'phone',
  expect: DemoCallTemplate['expect'] = where === null ? 'no-place' : 'located',
): DemoCallTemplate => ({
  channel,
  callerName,
  callerPhone,
  text,
  address: typeof where === 'string' ? where : null,
  place: where !== null && typeof where === 'object' ? where : null,
  expect,
});

export const DEMO_CALL_TEMPLATES: readonly DemoCallTemplate[] = [
  call(
    '王女士',
    '13857101234',
    '楼下工地晚上十一点多还在打桩，噪音特别大，孩子没法睡觉，希望管一管夜间施工。',
    '西湖区文三路与教工路交叉口',
  ),
  call(
    '李先生',
    '13967125678',
    '小区门口的路灯坏了一个多星期了，晚上黑乎乎的，老人走路容易摔倒。',
    '上城区采荷路',
  ),
  call(
    '陈师傅',
    '18657162233',
    '吴山广场边上有人摆摊卖水果，把人行道都占满了，推婴儿车根本过不去。',
    '上城区湖滨街道吴山广场',
  ),
  call(
    '赵女士',
    '15088776655',
    '家里自来水从昨天开始发黄，还有一股铁锈味，整栋楼都这样，请尽快派人查看。',
    '拱墅区小河社区',
  ),
  call(
    '刘先生',
    '13777889900',
    '河道里漂着一层油污，还有死鱼，味道很难闻，怀疑上游有工厂偷排废水。',
    { lng: 120.216104, lat: 30.198199 },
    'app',
  ),
  call(
    '周阿姨',
    '13588002211',
    '我们单元一楼有人私自搭了个彩钢棚，占了公共绿地，物业说管不了。',
    '西湖区古荡街道嘉绿苑社区',
  ),
  call(
    '孙先生',
    '17706541122',
    '公交车站的站牌被撞歪了，二十路公交好几天不按时到站，等车要四十分钟。',
    '拱墅区莫干山路',
  ),
  call(
    '吴女士',
    '13605811234',
    '公司已经拖欠我们三个月工资了，老板电话打不通，十几个工人都拿不到钱。',
    '滨江区江南大道',
  ),
  call('郑先生', '15157100987', '路边烧烤店油烟直接排到楼上，窗户都不敢开，晚上还很吵。', '上城区景芳社区'),
  call(
    '钱女士',
    '18969001234',
    '小区垃圾桶两天没人清运了，天气热，苍蝇很多，味道很大。',
    { lng: 120.222104, lat: 30.281774 },
    'wechat',
  ),
  call(
    '冯先生',
    '13456781234',
    '天目山路上有一个窨井盖缺了一角，车子开过去哐当响，怕有人掉下去。',
    '西湖区天目山路',
  ),
  call(
    '蒋女士',
    '13989456789',
    '孩子明年上小学，我们户口在这边但学区划分说不清楚，想问问招生政策。',
    '西湖区留下街道',
  ),
  call(
    '沈先生',
    '15958123456',
    '停车场收费太乱了，标价五元一小时结果收了二十元，也不给发票。',
    '上城区河坊街',
  ),
  call(
    '韩阿姨',
    '13732198765',
    '我母亲八十多岁独居，想申请居家养老服务，不知道去哪里办理。',
    '拱墅区半山社区',
  ),
  call(
    '杨先生',
    '18768112345',
    '小区电梯这个月已经困人两次了，物业一直拖着不修，大家很担心安全。',
    '滨江区浦沿街道闻涛社区',
  ),
  call(
    '朱女士',
    '13306548899',
    '马路上有辆车停了一个月没动过，轮胎都瘪了，占着车位，怀疑是僵尸车。',
    '上城区望江路',
  ),
  call(
    '秦先生',
    '15267001122',
    '在超市买的牛奶过期了还在卖，跟店家交涉不给退，要求市场监管处理。',
    '拱墅区湖墅南路',
  ),
  call('许女士', '13858067788', '隔壁工厂晚上排放刺鼻的气体，闻了头晕，附近居民都有意见。', '萧山区北干街道'),
  call(
    '何先生',
    '18072345678',
    '网商路这段路面塌陷了一个大坑，下雨积水，电动车已经摔了好几辆。',
    '滨江区网商路',
  ),
  call(
    '吕女士',
    '13655717788',
    '医院挂号太难了，网上一直约不到专家号，现场排队也排不上，能不能增加号源。',
    '上城区清波街道',
  ),
  call(
    '施先生',
    '13777665544',
    '文四路附近的人行道被共享单车堵死了，轮椅完全过不去，请清理一下。',
    '文四路',
    'phone',
    'ambiguous',
  ),
  call('张女士', '13700001111', '我在外地打工，社保断缴了几个月，想问怎么补缴，医保还能不能用。', null),
  call(
    '曹先生',
    '13866554433',
    '西湖边上半夜有人开改装车轰油门，声音像放炮一样，每天都有。',
    { lng: 120.139876, lat: 30.245414 },
    'app',
  ),
  call(
    '严女士',
    '15990012345',
    '老小区加装电梯，一楼住户不同意，协调了半年还没结果，希望街道出面。',
    '拱墅区朝晖一区社区',
  ),
];

/** A queued call from a template: a fresh id and time, the phone masked by the caller of this function. */
export function demoCall(
  template: DemoCallTemplate,
  id: string,
  receivedAt: string,
  maskPhone: (p: string | null) => string | null,
): IncomingCall {
  return {
    id,
    receivedAt,
    channel: template.channel,
    callerName: template.callerName,
    callerPhone: maskPhone(template.callerPhone),
    text: template.text,
    place: template.place,
    address: template.address,
  };
}

export interface DemoCallStreamOptions {
  /** Seconds between two calls. */
  everySec: number;
  /** The queue never holds more than this many waiting calls; the stream waits while it is full. */
  maxWaiting?: number;
}

export const DEFAULT_DEMO_CALL_EVERY_SEC = 20;
export const DEFAULT_MAX_WAITING = 12;

/**
 * Adds a demo call to the queue every `everySec` seconds (round-robin over the templates), unless the
 * queue is full. `push` returns false when the queue refused the call.
 */
export function startDemoCallStream(
  options: DemoCallStreamOptions,
  push: (template: DemoCallTemplate) => boolean,
): { stop: () => void } {
  if (!Number.isFinite(options.everySec) || options.everySec < 1 || options.everySec > 3600)
    throw new Error(`demo calls: everySec must be between 1 and 3600 seconds (got ${options.everySec})`);
  let next = 0;
  const timer = setInterval(() => {
    if (push(DEMO_CALL_TEMPLATES[next % DEMO_CALL_TEMPLATES.length]!)) next += 1;
  }, options.everySec * 1000);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}

import { z } from 'zod';

/**
 * The three-level complaint taxonomy of a 12345 citizen hotline (level 1 → level 2 → level 3 leaf).
 *
 * The shape follows the taxonomy published with the 2020 TipDM Cup problem C (level1, level2, level3),
 * but every class, English name and keyword below was written by the project: the published file's
 * redistribution terms are unclear, so none of it is copied. The level-1 classes cover the ones that
 * evaluation data uses (城乡建设, 环境保护, 交通运输, 教育文体, 劳动和社会保障, 商贸旅游, 卫生计生) and
 * the other areas a hotline receives. It is plain data checked by a zod schema, so a site can replace it
 * with its own configuration later.
 *
 * A category path is written with the Chinese names joined by "/": `环境保护/环境污染/噪音污染`. Ids are
 * stable ASCII slugs (`environment.pollution.noise`) for configuration and storage.
 */

const Slug = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case ASCII slug');
const Name = z
  .string()
  .min(1)
  .max(40)
  .refine((s) => !s.includes('/'), 'must not contain "/" (it separates the levels of a path)');

export const TaxonomyLeafSchema = z.object({
  id: Slug,
  zh: Name,
  en: z.string().min(1),
  /** Chinese words and short phrases that suggest this leaf (written by the project). */
  keywords: z.array(z.string().min(1).max(20)).min(1),
});
export const TaxonomyLevel2Schema = z.object({
  id: Slug,
  zh: Name,
  en: z.string().min(1),
  children: z.array(TaxonomyLeafSchema).min(1),
});
export const TaxonomyLevel1Schema = z.object({
  id: Slug,
  zh: Name,
  en: z.string().min(1),
  children: z.array(TaxonomyLevel2Schema).min(1),
});

export const TaxonomySchema = z
  .object({
    id: Slug,
    version: z.string().min(1),
    classes: z.array(TaxonomyLevel1Schema).min(2),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    const check = (key: string, path: (string | number)[]): void => {
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `duplicate ${key}`, path });
      seen.add(key);
    };
    t.classes.forEach((l1, i) => {
      check(`id ${l1.id}`, ['classes', i, 'id']);
      check(`path ${l1.zh}`, ['classes', i, 'zh']);
      l1.children.forEach((l2, j) => {
        check(`id ${l1.id}.${l2.id}`, ['classes', i, 'children', j, 'id']);
        check(`path ${l1.zh}/${l2.zh}`, ['classes', i, 'children', j, 'zh']);
        l2.children.forEach((l3, k) => {
          check(`id ${l1.id}.${l2.id}.${l3.id}`, ['classes', i, 'children', j, 'children', k, 'id']);
          check(`path ${l1.zh}/${l2.zh}/${l3.zh}`, ['classes', i, 'children', j, 'children', k, 'zh']);
        });
      });
    });
  });

export type TaxonomyLeaf = z.infer<typeof TaxonomyLeafSchema>;
export type TaxonomyLevel2 = z.infer<typeof TaxonomyLevel2Schema>;
export type TaxonomyLevel1 = z.infer<typeof TaxonomyLevel1Schema>;
export type Taxonomy = z.infer<typeof TaxonomySchema>;

/** One leaf with everything above it. */
export interface TaxonomyLeafRef {
  /** `environment.pollution.noise` */
  id: string;
  /** `环境保护/环境污染/噪音污染` */
  path: string;
  /** `Environmental protection / Pollution / Noise pollution` */
  pathEn: string;
  names: [string, string, string];
  keywords: string[];
}

export const PATH_SEPARATOR = '/';

/** Every leaf in taxonomy order. */
export function taxonomyLeaves(t: Taxonomy): TaxonomyLeafRef[] {
  const out: TaxonomyLeafRef[] = [];
  for (const l1 of t.classes)
    for (const l2 of l1.children)
      for (const l3 of l2.children)
        out.push({
          id: `${l1.id}.${l2.id}.${l3.id}`,
          path: [l1.zh, l2.zh, l3.zh].join(PATH_SEPARATOR),
          pathEn: [l1.en, l2.en, l3.en].join(' / '),
          names: [l1.zh, l2.zh, l3.zh],
          keywords: l3.keywords,
        });
  return out;
}

/**
 * Resolves a category written as Chinese names or ids, at any depth ("环境保护", "环境保护/环境污染",
 * "environment.pollution.noise", "environment/pollution/noise") to its Chinese path, or null when the
 * taxonomy has no such class.
 */
export function resolveCategory(t: Taxonomy, raw: string): string | null {
  const parts = raw
    .trim()
    .split(raw.includes(PATH_SEPARATOR) ? PATH_SEPARATOR : '.')
    .map((p) => p.trim());
  if (parts.length < 1 || parts.length > 3 || parts.some((p) => p === '')) return null;
  const names: string[] = [];
  let level: { id: string; zh: string; children?: unknown }[] = t.classes;
  for (const part of parts) {
    const node = level.find((n) => n.zh === part || n.id === part);
    if (!node) return null;
    names.push(node.zh);
    level = (node.children as { id: string; zh: string }[] | undefined) ?? [];
  }
  return names.join(PATH_SEPARATOR);
}

/** The first `depth` levels of a path. */
export function pathPrefix(path: string, depth: number): string {
  return path.split(PATH_SEPARATOR).slice(0, depth).join(PATH_SEPARATOR);
}

export function pathDepth(path: string): number {
  return path.split(PATH_SEPARATOR).length;
}

type LeafRow = [id: string, zh: string, en: string, keywords: string];
type L2Row = [id: string, zh: string, en: string, leaves: LeafRow[]];

const l1 = (id: string, zh: string, en: string, children: L2Row[]): TaxonomyLevel1 => ({
  id,
  zh,
  en,
  children: children.map(([id2, zh2, en2, leaves]) => ({
    id: id2,
    zh: zh2,
    en: en2,
    children: leaves.map(([id3, zh3, en3, keywords]) => ({
      id: id3,
      zh: zh3,
      en: en3,
      keywords: keywords.split(' ').filter((k) => k !== ''),
    })),
  })),
});

/** The taxonomy Watchfloor ships (written by the project). Keywords are space-separated here for brevity. */
export const DEFAULT_TAXONOMY: Taxonomy = {
  id: 'watchfloor-12345',
  version: '1.0.0',
  classes: [
    l1('urban', '城乡建设', 'Urban and rural construction', [
      [
        'planning',
        '城乡规划',
        'Planning',
        [
          [
            'illegal-building',
            '违章建筑',
            'Illegal building',
            '违建 违章 私搭乱建 加盖 搭建 楼顶 阳台外扩 擅自扩建 违法建设',
          ],
          [
            'planning-change',
            '规划调整',
            'Planning changes',
            '规划 容积率 规划许可 变更规划 绿地率 公示 用地性质',
          ],
          [
            'public-facilities',
            '配套设施',
            'Public facilities',
            '配套 学校配套 菜市场 公厕 停车场 规划配套 幼儿园配套',
          ],
        ],
      ],
      [
        'municipal',
        '市政管理',
        'Municipal services',
        [
          [
            'roads-lights',
            '道路与路灯',
            'Roads and street lights',
            '路灯 不亮 坑洼 路面破损 井盖 人行道 破损 积水',
          ],
          ['water-gas', '供水供气', 'Water and gas supply', '停水 水压 自来水 水质 燃气 天然气 漏气 供水'],
          ['heating-power', '供电供暖', 'Power and heating', '停电 电压 供电 暖气 供暖 不热 跳闸 电费'],
          [
            'greening-sanitation',
            '园林绿化环卫',
            'Greening and sanitation',
            '绿化 树木 修剪 垃圾桶 环卫 清扫 垃圾清运 草坪',
          ],
        ],
      ],
      [
        'housing',
        '住房与物业',
        'Housing and property management',
        [
          [
            'property-service',
            '物业管理',
            'Property management',
            '物业 物业费 小区 业委会 电梯 门禁 保安 维修基金',
          ],
          ['real-estate', '房地产开发', 'Real estate', '开发商 交房 延期交房 房产证 不动产证 购房 烂尾 楼盘'],
          [
            'old-renovation',
            '老旧小区改造',
            'Old estate renovation',
            '老旧小区 改造 加装电梯 外墙 管网改造 提质改造',
          ],
          [
            'housing-security',
            '保障性住房',
            'Subsidised housing',
            '公租房 廉租房 保障房 安置房 经适房 人才公寓',
          ],
        ],
      ],
      [
        'construction',
        '建设施工',
        'Construction works',
        [
          ['site-safety', '施工安全', 'Site safety', '施工 工地 围挡 塔吊 安全隐患 脚手架 占道施工'],
          ['quality', '工程质量', 'Building quality', '质量 漏水 裂缝 渗水 墙体开裂 房屋质量 验收'],
          [
            'demolition',
            '征收拆迁',
            'Expropriation and demolition',
            '拆迁 征收 补偿 征地 强拆 拆迁款 安置补偿',
          ],
        ],
      ],
    ]),
    l1('environment', '环境保护', 'Environmental protection', [
      [
        'pollution',
        '环境污染',
        'Pollution',
        [
          [
            'noise',
            '噪音污染',
            'Noise pollution',
            '噪音 噪声 扰民 太吵 吵闹 广场舞 音响 夜间施工 鸣笛 装修声',
          ],
          ['air', '大气污染', 'Air pollution', '废气 粉尘 扬尘 烟雾 臭味 异味 焚烧 油烟 空气质量 黑烟'],
          ['water', '水污染', 'Water pollution', '污水 排污 河道 黑臭 水体 直排 污染河流 死鱼'],
          ['solid-waste', '固体废物污染', 'Solid waste', '建筑垃圾 乱倒 倾倒 固废 危险废物 渣土 堆放'],
          ['radiation', '辐射污染', 'Radiation', '辐射 基站 信号塔 电磁 高压线'],
        ],
      ],
      [
        'ecology',
        '生态保护',
        'Ecology',
        [
          ['wildlife', '动植物保护', 'Wildlife', '野生动物 捕鸟 滥砍 古树 非法捕捞 电鱼'],
          ['resources', '资源保护', 'Natural resources', '非法采砂 采石 湿地 山体 破坏植被 挖山'],
        ],
      ],
      [
        'enforcement',
        '环保执法',
        'Environmental enforcement',
        [['polluting-firm', '企业排污', 'Polluting firms', '工厂 企业排污 偷排 环评 化工厂 排放超标 环保局']],
      ],
    ]),
    l1('transport', '交通运输', 'Transport', [
      [
        'public-transport',
        '公共交通',
        'Public transport',
        [
          ['bus', '公交线路', 'Bus lines', '公交 公交车 线路 站台 班次 公交站 司机 到站'],
          ['taxi', '出租车网约车', 'Taxis and ride hailing', '出租车 的士 网约车 拒载 绕路 滴滴 黑车 打表'],
          ['metro', '地铁轨道', 'Metro', '地铁 轨道交通 站口 地铁站 城铁'],
        ],
      ],
      [
        'roads',
        '道路交通',
        'Road traffic',
        [
          ['congestion', '交通拥堵', 'Congestion', '拥堵 堵车 红绿灯 信号灯 车流 早晚高峰 掉头'],
          ['parking', '停车管理', 'Parking', '停车 乱停 占道停车 停车位 停车费 僵尸车 收费'],
          ['traffic-safety', '交通安全', 'Traffic safety', '超速 渣土车 货车 交通事故 闯红灯 斑马线 减速带'],
        ],
      ],
      [
        'transport-services',
        '运输管理',
        'Transport services',
        [
          [
            'vehicle-admin',
            '车辆管理',
            'Vehicle administration',
            '驾照 驾驶证 年检 车管所 行驶证 违章处理 车牌',
          ],
          ['highway', '公路建设', 'Highways', '公路 高速 收费站 国道 省道 乡道 修路'],
        ],
      ],
    ]),
    l1('education', '教育文体', 'Education, culture and sport', [
      [
        'schools',
        '教育管理',
        'Schools',
        [
          ['enrolment', '招生入学', 'Enrolment', '入学 招生 学位 划片 学区 转学 报名 积分入学'],
          ['fees', '教育收费', 'School fees', '收费 补课 乱收费 资料费 择校费 课后服务费'],
          ['teachers', '教师管理', 'Teachers', '老师 教师 体罚 有偿补课 师德 代课 编制'],
          ['school-safety', '校园安全', 'School safety', '校园 食堂 校车 学生安全 霸凌 午餐'],
          ['training-institutions', '校外培训', 'Private tutoring', '培训机构 培训班 退费 辅导班 课外班'],
        ],
      ],
      [
        'culture',
        '文化体育',
        'Culture and sport',
        [
          ['culture-venues', '文化场馆', 'Cultural venues', '图书馆 博物馆 文化馆 演出 网吧 文化活动'],
          ['sport', '体育设施', 'Sport facilities', '体育馆 健身器材 球场 游泳馆 全民健身 运动场'],
        ],
      ],
      [
        'higher',
        '职业与高等教育',
        'Vocational and higher education',
        [['colleges', '高校职校', 'Colleges', '大学 高校 职校 实习 学历 毕业证 学籍 中专']],
      ],
    ]),
    l1('labour', '劳动和社会保障', 'Labour and social security', [
      [
        'labour-relations',
        '劳动关系',
        'Labour relations',
        [
          ['wage-arrears', '拖欠工资', 'Unpaid wages', '拖欠工资 欠薪 讨薪 工资 农民工 克扣 发放工资'],
          [
            'contracts',
            '劳动合同',
            'Employment contracts',
            '劳动合同 辞退 解除合同 经济补偿 加班 试用期 仲裁',
          ],
        ],
      ],
      [
        'insurance',
        '社会保险',
        'Social insurance',
        [
          ['pension', '养老保险', 'Pensions', '养老保险 养老金 退休 社保 缴费年限 退休金 退休工资'],
          [
            'medical-insurance',
            '医疗保险',
            'Medical insurance',
            '医保 医疗保险 报销 异地就医 医保卡 城乡居民医保',
          ],
          [
            'unemployment-injury',
            '失业工伤生育保险',
            'Unemployment, injury and maternity insurance',
            '失业金 失业保险 工伤 工伤认定 生育保险 生育津贴',
          ],
          ['contributions', '社保缴纳', 'Contributions', '社保缴纳 断缴 补缴 未缴 公司不交社保 参保'],
        ],
      ],
      [
        'employment',
        '就业创业',
        'Employment',
        [
          ['job-services', '就业服务', 'Job services', '就业 招聘 求职 人才引进 人才补贴 技能培训'],
          [
            'civil-service',
            '人事管理',
            'Public-sector staffing',
            '事业单位 公务员 编制 考试 职称 人事档案 工龄',
          ],
        ],
      ],
    ]),
    l1('commerce', '商贸旅游', 'Commerce and tourism', [
      [
        'market',
        '市场监管',
        'Market supervision',
        [
          [
            'consumer-rights',
            '消费维权',
            'Consumer rights',
            '消费者 退款 维权 假货 欺诈 售后 投诉商家 预付卡',
          ],
          ['prices', '价格监管', 'Prices', '价格 涨价 乱收费 明码标价 哄抬 收费标准'],
          ['pyramid-selling', '传销与非法集资', 'Pyramid selling', '传销 非法集资 理财 骗局 集资 高息'],
          ['licensing', '经营许可', 'Business licences', '营业执照 无证经营 经营许可 工商 个体户'],
        ],
      ],
      [
        'trade',
        '商贸流通',
        'Trade',
        [
          ['street-vendors', '占道经营', 'Street vendors', '摆摊 流动摊贩 占道经营 夜市 小贩'],
          ['markets', '商场市场', 'Shops and markets', '超市 商场 菜市场 农贸市场 商铺 门面'],
        ],
      ],
      [
        'tourism',
        '旅游管理',
        'Tourism',
        [
          ['tourist-sites', '景区管理', 'Tourist sites', '景区 门票 景点 旅游区 游客'],
          ['travel-agencies', '旅行社', 'Travel agencies', '旅行社 导游 强制购物 低价团 旅游团'],
        ],
      ],
    ]),
    l1('health', '卫生计生', 'Health and family planning', [
      [
        'medical',
        '医疗服务',
        'Medical services',
        [
          ['hospitals', '医院管理', 'Hospitals', '医院 医生 看病 挂号 住院 医疗纠纷 误诊 护士'],
          ['medical-fees', '医疗收费', 'Medical fees', '医药费 检查费 过度医疗 收费清单 乱开药'],
          ['pharmacy', '药品管理', 'Medicines', '药店 药品 假药 处方药 药价'],
          ['clinics', '基层医疗', 'Primary care', '诊所 卫生院 社区医院 乡村医生 黑诊所 卫生室'],
        ],
      ],
      [
        'public-health',
        '公共卫生',
        'Public health',
        [
          ['disease-control', '疾病防控', 'Disease control', '疫苗 接种 传染病 防疫 消毒 病毒 核酸'],
          ['food-hygiene', '食品卫生', 'Food hygiene', '食品安全 卫生许可 餐馆 后厨 变质 食物中毒 无证餐饮'],
        ],
      ],
      [
        'family',
        '计划生育',
        'Family planning',
        [
          ['birth-policy', '生育政策', 'Birth policy', '计划生育 二胎 三孩 准生证 生育登记 独生子女'],
          [
            'family-allowance',
            '计生奖励扶助',
            'Family allowances',
            '独生子女费 奖励扶助 失独 计生补贴 特别扶助',
          ],
        ],
      ],
    ]),
    l1('civil-affairs', '民政', 'Civil affairs', [
      [
        'assistance',
        '社会救助',
        'Social assistance',
        [
          ['subsistence', '低保救助', 'Subsistence allowance', '低保 特困 救助 困难户 临时救助'],
          ['elderly', '养老服务', 'Elderly care', '养老院 高龄补贴 老年人 敬老院 居家养老'],
          ['disability', '残疾人服务', 'Disability services', '残疾人 残疾证 无障碍 残联 助残'],
        ],
      ],
      [
        'affairs',
        '民政事务',
        'Civil registration',
        [
          ['marriage', '婚姻登记', 'Marriage registration', '结婚登记 离婚 婚姻 民政局'],
          ['funeral', '殡葬管理', 'Funerals', '殡葬 墓地 公墓 火化 丧事 骨灰'],
          ['community', '社区管理', 'Community affairs', '社区 居委会 村委会 网格员 社区服务'],
        ],
      ],
    ]),
    l1('law', '政法', 'Public security and justice', [
      [
        'public-security',
        '治安管理',
        'Public order',
        [
          ['public-order', '社会治安', 'Public order', '治安 打架 盗窃 小偷 诈骗 赌博 报警 派出所'],
          ['household-register', '户籍管理', 'Household registration', '户口 户籍 落户 身份证 迁户 居住证'],
          ['fire-safety', '消防安全', 'Fire safety', '消防 消防通道 火灾 灭火器 堵塞通道 电动车充电'],
        ],
      ],
      [
        'justice',
        '司法',
        'Justice',
        [
          ['courts', '法院执行', 'Courts', '法院 判决 执行 立案 诉讼 老赖'],
          ['legal-aid', '法律援助', 'Legal aid', '法律援助 律师 公证 调解'],
        ],
      ],
    ]),
    l1('agriculture', '农村农业', 'Rural affairs and agriculture', [
      [
        'farming',
        '农业生产',
        'Farming',
        [
          ['subsidies', '惠农补贴', 'Farm subsidies', '农业补贴 种粮补贴 惠农 补贴款 耕地地力'],
          ['farm-inputs', '农资管理', 'Farm inputs', '种子 化肥 农药 假农资 农机'],
        ],
      ],
      [
        'rural',
        '农村管理',
        'Village affairs',
        [
          ['village-affairs', '村务管理', 'Village administration', '村干部 村务公开 村集体 村账 选举'],
          ['land-contract', '土地承包', 'Land contracts', '承包地 土地流转 宅基地 确权 承包经营'],
          ['rural-roads', '农村基础设施', 'Rural infrastructure', '村道 饮水 农田水利 灌溉 村里路灯'],
        ],
      ],
    ]),
    l1('land', '国土资源', 'Land and resources', [
      [
        'land-use',
        '土地管理',
        'Land use',
        [
          ['land-occupation', '违法占地', 'Illegal land use', '占地 非法占用 耕地 毁田 圈地 违法用地'],
          ['land-registration', '不动产登记', 'Property registration', '土地证 不动产登记 产权 过户 办证'],
        ],
      ],
      [
        'mining',
        '矿产资源',
        'Minerals',
        [['illegal-mining', '非法开采', 'Illegal mining', '矿山 开采 采矿 盗采 矿石 炸山']],
      ],
    ]),
    l1('economy', '经济管理', 'Economic management', [
      [
        'finance',
        '金融管理',
        'Finance',
        [
          ['banking', '银行保险', 'Banks and insurers', '银行 贷款 信用卡 保险公司 理赔 征信'],
          ['taxation', '税务', 'Taxes', '税务 发票 纳税 个税 退税 偷税'],
        ],
      ],
      [
        'enterprise',
        '企业管理',
        'Enterprises',
        [
          ['state-enterprise', '国有企业', 'State-owned enterprises', '国企 改制 国有资产 下岗 买断工龄'],
          [
            'business-environment',
            '营商环境',
            'Business environment',
            '营商环境 审批 招商 企业扶持 优化营商',
          ],
        ],
      ],
    ]),
    l1('technology', '科技与信息产业', 'Science and information industry', [
      [
        'telecom',
        '通信服务',
        'Telecommunications',
        [
          ['network', '网络通信', 'Network and signal', '信号差 宽带 网络 断网 光纤 移动 联通 电信'],
          ['telecom-fraud', '电信诈骗', 'Telecom fraud', '诈骗电话 骚扰电话 短信 电信诈骗 垃圾短信'],
        ],
      ],
      [
        'digital-services',
        '政务信息化',
        'Digital government',
        [['apps', '政务平台', 'Government apps', 'APP 小程序 网上办事 系统故障 政务网 公众号 登录不了']],
      ],
    ]),
    l1('government', '党务政务', 'Government affairs', [
      [
        'administration',
        '行政管理',
        'Administration',
        [
          [
            'service-attitude',
            '工作作风',
            'Conduct of officials',
            '态度差 推诿 不作为 办事效率 工作人员 刁难',
          ],
          ['public-info', '政务公开', 'Open government', '信息公开 公示 政策咨询 政策解读'],
          ['suggestions', '建言献策', 'Suggestions', '建议 意见 建言 献策 提议'],
        ],
      ],
    ]),
  ],
};

import type { ConfigDocument, DeviceKind, FieldDef, LocalizedText, MetricDef, Workflow } from '../contract';

const t = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

const opsWorkflow: Workflow = {
  id: 'wf-ops',
  name: t('运维故障流程', 'Operations fault workflow'),
  initial: 'new',
  states: [
    { id: 'new', label: t('待处理', 'New'), category: 'new' },
    { id: 'assigned', label: t('已派单', 'Assigned'), category: 'active' },
    { id: 'in_progress', label: t('处理中', 'In progress'), category: 'active' },
    { id: 'pending', label: t('挂起', 'On hold'), category: 'waiting' },
    { id: 'resolved', label: t('已解决', 'Resolved'), category: 'resolved' },
    { id: 'closed', label: t('已关闭', 'Closed'), category: 'closed' },
    { id: 'cancelled', label: t('已取消', 'Cancelled'), category: 'closed' },
  ],
  transitions: [
    {
      from: ['new'],
      to: 'assigned',
      label: t('派单', 'Assign'),
      requiresNote: false,
      requiresAssignee: true,
    },
    {
      from: ['new', 'assigned'],
      to: 'in_progress',
      label: t('开始处理', 'Start work'),
      requiresNote: false,
      requiresAssignee: true,
    },
    {
      from: ['in_progress'],
      to: 'pending',
      label: t('挂起', 'Put on hold'),
      requiresNote: true,
      requiresAssignee: false,
    },
    {
      from: ['pending'],
      to: 'in_progress',
      label: t('恢复处理', 'Resume'),
      requiresNote: false,
      requiresAssignee: false,
    },
    {
      from: ['in_progress'],
      to: 'resolved',
      label: t('解决', 'Resolve'),
      requiresNote: true,
      requiresAssignee: false,
    },
    {
      from: ['resolved'],
      to: 'closed',
      label: t('关闭', 'Close'),
      requiresNote: false,
      requiresAssignee: false,
    },
    {
      from: ['resolved'],
      to: 'in_progress',
      label: t('重新打开', 'Reopen'),
      requiresNote: true,
      requiresAssignee: false,
    },
    {
      from: ['new', 'assigned', 'pending'],
      to: 'cancelled',
      label: t('取消', 'Cancel'),
      requiresNote: true,
      requiresAssignee: false,
    },
  ],
};

const preventiveWorkflow: Workflow = {
  id: 'wf-preventive',
  name: t('预防性维护流程', 'Preventive maintenance workflow'),
  initial: 'new',
  states: [
    { id: 'new', label: t('待确认', 'To confirm'), category: 'new' },
    { id: 'scheduled', label: t('已排程', 'Scheduled'), category: 'active' },
    { id: 'in_progress', label: t('检修中', 'In service'), category: 'active' },
    { id: 'resolved', label: t('已完成', 'Done'), category: 'resolved' },
    { id: 'risk_cleared', label: t('风险解除', 'Risk cleared'), category: 'closed' },
    { id: 'closed', label: t('已关闭', 'Closed'), category: 'closed' },
  ],
  transitions: [
    {
      from: ['new'],
      to: 'scheduled',
      label: t('排程', 'Schedule'),
      requiresNote: false,
      requiresAssignee: true,
    },
    {
      from: ['new', 'scheduled'],
      to: 'in_progress',
      label: t('开始检修', 'Start service'),
      requiresNote: false,
      requiresAssignee: true,
    },
    {
      from: ['in_progress'],
      to: 'resolved',
      label: t('完成', 'Complete'),
      requiresNote: true,
      requiresAssignee: false,
    },
    {
      from: ['new', 'scheduled'],
      to: 'risk_cleared',
      label: t('风险解除', 'Clear risk'),
      requiresNote: true,
      requiresAssignee: false,
    },
    {
      from: ['resolved'],
      to: 'closed',
      label: t('关闭', 'Close'),
      requiresNote: false,
      requiresAssignee: false,
    },
  ],
};

const citizenWorkflow: Workflow = {
  id: 'wf-citizen',
  name: t('市民诉求流程', 'Citizen request workflow'),
  initial: 'received',
  states: [
    { id: 'received', label: t('已受理', 'Received'), category: 'new' },
    { id: 'dispatched', label: t('已派发', 'Dispatched'), category: 'active' },
    { id: 'accepted', label: t('已签收', 'Accepted'), category: 'active' },
    { id: 'returned', label: t('已退回', 'Returned'), category: 'waiting' },
    { id: 'replied', label: t('已答复', 'Replied'), category: 'resolved' },
    { id: 'closed', label: t('已办结', 'Closed'), category: 'closed' },
  ],
  transitions: [
    {
      from: ['received', 'returned'],
      to: 'dispatched',
      label: t('派发', 'Dispatch'),
      requiresNote: false,
      requiresAssignee: true,
    },
    {
      from: ['dispatched'],
      to: 'accepted',
      label: t('签收', 'Accept'),
      requiresNote: false,
      requiresAssignee: true,
    },
    {
      from: ['dispatched', 'accepted'],
      to: 'returned',
      label: t('退回', 'Return'),
      requiresNote: true,
      requiresAssignee: false,
    },
    {
      from: ['accepted'],
      to: 'replied',
      label: t('答复', 'Reply'),
      requiresNote: true,
      requiresAssignee: false,
    },
    {
      from: ['replied'],
      to: 'closed',
      label: t('办结', 'Close'),
      requiresNote: false,
      requiresAssignee: false,
    },
    {
      from: ['replied'],
      to: 'accepted',
      label: t('重办', 'Rework'),
      requiresNote: true,
      requiresAssignee: false,
    },
  ],
};

const deviceKind: FieldDef = {
  key: 'deviceKind',
  label: t('设备类型', 'Device kind'),
  kind: 'select',
  required: false,
  options: [
    { value: 'pv-inverter', label: t('光伏逆变器', 'PV inverter') },
    { value: 'wind-turbine', label: t('风电机组', 'Wind turbine') },
    { value: 'battery-line', label: t('电池产线工位', 'Battery-pack line station') },
    { value: 'medical-imaging', label: t('医疗影像设备', 'Medical imaging device') },
  ],
};

const metric = (
  key: string,
  zh: string,
  en: string,
  unit: string,
  range: [number, number],
  health: { warn: number; alarm: number; weight: number; higherIsWorse?: boolean } | null,
): MetricDef => ({
  key,
  label: t(zh, en),
  unit,
  min: range[0],
  max: range[1],
  warn: health?.warn ?? null,
  alarm: health?.alarm ?? null,
  higherIsWorse: health?.higherIsWorse ?? true,
  weight: health?.weight ?? 0,
});

const packetLoss = metric('packetLoss', '通讯丢包率', 'Packet loss', '%', [0, 100], {
  warn: 2,
  alarm: 10,
  weight: 0.8,
});

/** Device kinds and their telemetry; the first is what the fleet simulator models. */
export const DEFAULT_DEVICE_KINDS: DeviceKind[] = [
  {
    id: 'pv-inverter',
    name: t('光伏逆变器', 'PV inverter'),
    reportIntervalSec: 10,
    offlineAfterIntervals: 3,
    metrics: [
      metric('ripple', '直流电压纹波', 'Voltage ripple', '%', [0, 50], { warn: 3, alarm: 6, weight: 1 }),
      metric('tempGradient', '温升速率', 'Temperature gradient', '°C/min', [-30, 30], {
        warn: 1,
        alarm: 2.5,
        weight: 0.9,
      }),
      packetLoss,
      metric('power', '输出功率', 'Output power', 'kW', [0, 1000], null),
      metric('ambient', '环境温度', 'Ambient temperature', '°C', [-40, 60], null),
      metric('irradiance', '辐照度', 'Irradiance', 'W/m²', [0, 1500], null),
    ],
  },
  {
    id: 'wind-turbine',
    name: t('风电机组', 'Wind turbine'),
    reportIntervalSec: 10,
    offlineAfterIntervals: 3,
    metrics: [
      metric('vibration', '主轴振动', 'Main shaft vibration', 'mm/s', [0, 60], {
        warn: 7,
        alarm: 11,
        weight: 1,
      }),
      metric('gearboxTemp', '齿轮箱温度', 'Gearbox temperature', '°C', [-40, 150], {
        warn: 80,
        alarm: 95,
        weight: 0.9,
      }),
      metric('power', '输出功率', 'Output power', 'kW', [0, 6000], null),
      metric('windSpeed', '风速', 'Wind speed', 'm/s', [0, 60], null),
      packetLoss,
    ],
  },
  {
    id: 'battery-line',
    name: t('电池产线工位', 'Battery-pack line station'),
    reportIntervalSec: 5,
    offlineAfterIntervals: 4,
    metrics: [
      metric('cycleTime', '节拍时间', 'Cycle time', 's', [0, 600], { warn: 45, alarm: 60, weight: 0.7 }),
      metric('defectRate', '不良率', 'Defect rate', '%', [0, 100], { warn: 1, alarm: 3, weight: 1 }),
      metric('weldCurrent', '焊接电流', 'Weld current', 'A', [0, 10000], null),
      metric('temp', '工位温度', 'Station temperature', '°C', [-20, 120], {
        warn: 45,
        alarm: 60,
        weight: 0.6,
      }),
      packetLoss,
    ],
  },
  {
    id: 'medical-imaging',
    name: t('医疗影像设备', 'Medical imaging device'),
    reportIntervalSec: 30,
    offlineAfterIntervals: 3,
    metrics: [
      metric('tubeTemp', '球管温度', 'Tube temperature', '°C', [0, 200], { warn: 70, alarm: 85, weight: 1 }),
      metric('heliumLevel', '液氦液位', 'Helium level', '%', [0, 100], {
        warn: 70,
        alarm: 60,
        weight: 1,
        higherIsWorse: false,
      }),
      metric('coolantFlow', '冷却液流量', 'Coolant flow', 'L/min', [0, 100], {
        warn: 8,
        alarm: 5,
        weight: 0.8,
        higherIsWorse: false,
      }),
      packetLoss,
    ],
  },
];

/**
 * The seeded configuration of a new data folder: four ticket types over three workflows, SLA
 * policies and a small directory. Business staff change it later; it is only the starting point.
 */
export function defaultConfig(publishedAt: string): ConfigDocument {
  return {
    version: 1,
    publishedAt,
    timezone: 'Asia/Shanghai',
    numbering: { prefix: 'WF' },
    workflows: [opsWorkflow, preventiveWorkflow, citizenWorkflow],
    slaPolicies: [
      {
        id: 'sla-ops',
        name: t('运维 SLA', 'Operations SLA'),
        targets: {
          P1: { responseMinutes: 15, resolveMinutes: 240 },
          P2: { responseMinutes: 30, resolveMinutes: 480 },
          P3: { responseMinutes: 120, resolveMinutes: 1440 },
          P4: { responseMinutes: 480, resolveMinutes: 4320 },
        },
      },
      {
        id: 'sla-preventive',
        name: t('预防性维护 SLA', 'Preventive SLA'),
        targets: {
          P1: { responseMinutes: 60, resolveMinutes: 480 },
          P2: { responseMinutes: 240, resolveMinutes: 1440 },
          P3: { responseMinutes: 480, resolveMinutes: 4320 },
          P4: { responseMinutes: 1440, resolveMinutes: 10080 },
        },
      },
      {
        id: 'sla-citizen',
        name: t('12345 热线 SLA', '12345 hotline SLA'),
        targets: {
          P1: { responseMinutes: 30, resolveMinutes: 1440 },
          P2: { responseMinutes: 120, resolveMinutes: 4320 },
          P3: { responseMinutes: 240, resolveMinutes: 7200 },
          P4: { responseMinutes: 480, resolveMinutes: 14400 },
        },
      },
    ],
    types: [
      {
        id: 'device-fault',
        name: t('设备故障', 'Device fault'),
        color: '#e5484d',
        workflowId: 'wf-ops',
        slaPolicyId: 'sla-ops',
        defaultPriority: 'P2',
        fields: [
          deviceKind,
          { key: 'faultCode', label: t('故障码', 'Fault code'), kind: 'text', required: false },
          { key: 'siteName', label: t('站点', 'Site'), kind: 'text', required: false },
          {
            key: 'downtimeMinutes',
            label: t('停机时长', 'Downtime'),
            kind: 'number',
            required: false,
            min: 0,
            unit: 'min',
          },
        ],
      },
      {
        id: 'preventive-maintenance',
        name: t('预防性维护', 'Preventive maintenance'),
        color: '#3e9b4f',
        workflowId: 'wf-preventive',
        slaPolicyId: 'sla-preventive',
        defaultPriority: 'P3',
        fields: [
          deviceKind,
          {
            key: 'failureMode',
            label: t('预测失效模式', 'Predicted failure mode'),
            kind: 'select',
            required: false,
            options: [
              { value: 'capacitor-ageing', label: t('电容老化', 'Capacitor ageing') },
              { value: 'loose-contact', label: t('接触不良', 'Loose contact') },
              { value: 'fan-failure', label: t('风扇失效', 'Fan failure') },
              { value: 'other', label: t('其他', 'Other') },
            ],
          },
          {
            key: 'riskScore',
            label: t('风险分', 'Risk score'),
            kind: 'number',
            required: false,
            min: 0,
            max: 100,
          },
          {
            key: 'predictedFailureAt',
            label: t('预测失效时间', 'Predicted failure at'),
            kind: 'date',
            required: false,
          },
          { key: 'sparePart', label: t('备件', 'Spare part'), kind: 'text', required: false },
        ],
      },
      {
        id: 'citizen-request',
        name: t('市民诉求', 'Citizen request'),
        color: '#3b82f6',
        workflowId: 'wf-citizen',
        slaPolicyId: 'sla-citizen',
        defaultPriority: 'P3',
        fields: [
          { key: 'category', label: t('诉求分类', 'Category'), kind: 'text', required: false },
          { key: 'callerName', label: t('来电人', 'Caller'), kind: 'text', required: false },
          {
            key: 'callerPhone',
            label: t('来电号码（脱敏）', 'Caller phone (masked)'),
            kind: 'text',
            required: false,
          },
          {
            key: 'channel',
            label: t('渠道', 'Channel'),
            kind: 'select',
            required: false,
            options: [
              { value: 'phone', label: t('电话', 'Phone') },
              { value: 'web', label: t('网站', 'Web') },
              { value: 'app', label: t('App', 'App') },
              { value: 'wechat', label: t('微信', 'WeChat') },
              { value: 'open311', label: t('Open311 接口', 'Open311 API') },
            ],
          },
          { key: 'replyRequired', label: t('需回访', 'Follow-up call'), kind: 'boolean', required: false },
        ],
      },
      {
        id: 'process-anomaly',
        name: t('工艺异常', 'Process anomaly'),
        color: '#f59e0b',
        workflowId: 'wf-ops',
        slaPolicyId: 'sla-ops',
        defaultPriority: 'P2',
        fields: [
          { key: 'line', label: t('产线', 'Line'), kind: 'text', required: false },
          { key: 'processStep', label: t('工序', 'Process step'), kind: 'text', required: false },
          {
            key: 'defectRate',
            label: t('不良率', 'Defect rate'),
            kind: 'number',
            required: false,
            min: 0,
            max: 100,
            unit: '%',
          },
        ],
      },
    ],
    deviceKinds: DEFAULT_DEVICE_KINDS,
    directory: {
      departments: [
        { id: 'dept-ops', name: t('运维中心', 'Operations centre') },
        { id: 'dept-field', name: t('现场服务部', 'Field service') },
        { id: 'dept-quality', name: t('质量部', 'Quality') },
        { id: 'dept-production', name: t('生产部', 'Production') },
        { id: 'dept-urban', name: t('城市管理局', 'Urban management bureau') },
        { id: 'dept-housing', name: t('住房和城乡建设局', 'Housing and construction bureau') },
        { id: 'dept-env', name: t('生态环境局', 'Ecology and environment bureau') },
        { id: 'dept-transport', name: t('交通运输局', 'Transport bureau') },
        { id: 'dept-water', name: t('水务局', 'Water bureau') },
      ],
      teams: [
        { id: 'team-noc', name: t('监控值班组', 'NOC watch'), departmentId: 'dept-ops' },
        { id: 'team-field-east', name: t('东区现场组', 'Field team east'), departmentId: 'dept-field' },
        { id: 'team-field-west', name: t('西区现场组', 'Field team west'), departmentId: 'dept-field' },
        { id: 'team-qa', name: t('质量工程组', 'Quality engineering'), departmentId: 'dept-quality' },
        { id: 'team-line', name: t('产线保障组', 'Line support'), departmentId: 'dept-production' },
        { id: 'team-hotline', name: t('12345 受理组', '12345 intake'), departmentId: 'dept-urban' },
      ],
      users: [
        { id: 'u-zhangwei', name: '张伟', teamId: 'team-noc', roles: ['operator', 'supervisor'] },
        { id: 'u-lina', name: '李娜', teamId: 'team-noc', roles: ['operator'] },
        { id: 'u-wangqiang', name: '王强', teamId: 'team-field-east', roles: ['engineer'] },
        { id: 'u-liuyang', name: '刘洋', teamId: 'team-field-east', roles: ['engineer'] },
        { id: 'u-chenjing', name: '陈静', teamId: 'team-field-west', roles: ['engineer'] },
        { id: 'u-yangfan', name: '杨帆', teamId: 'team-field-west', roles: ['engineer'] },
        { id: 'u-zhaolei', name: '赵磊', teamId: 'team-qa', roles: ['engineer'] },
        { id: 'u-huangmin', name: '黄敏', teamId: 'team-line', roles: ['engineer'] },
        { id: 'u-zhoujie', name: '周杰', teamId: 'team-hotline', roles: ['agent'] },
        { id: 'u-wuting', name: '吴婷', teamId: 'team-hotline', roles: ['agent'] },
        { id: 'u-xugang', name: '徐刚', teamId: 'team-field-east', roles: ['engineer'] },
        { id: 'u-sunli', name: '孙丽', teamId: 'team-qa', roles: ['engineer'] },
      ],
    },
  };
}

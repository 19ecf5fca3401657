/**
 * Strings shared by every telemetry view (heatmap, map, device detail). Each telemetry feature has
 * its own module like this one (heatmap.ts, map.ts, devices.ts), composed into zh-CN.ts and en.ts,
 * so features can change their strings without touching each other's.
 */
export const telemetryZh = {
  health: {
    title: '健康度',
    good: '正常',
    warn: '注意',
    alarm: '告警',
    offline: '离线',
    noData: '无数据',
    value: '健康度 {{value}}',
  },
  state: { online: '在线', offline: '离线', unknown: '未知' },
  lastSeen: '最近上报 {{at}}',
  never: '从未上报',
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type TelemetryText = Shape<typeof telemetryZh>;

export const telemetryEn: TelemetryText = {
  health: {
    title: 'Health',
    good: 'Normal',
    warn: 'Watch',
    alarm: 'Alarm',
    offline: 'Offline',
    noData: 'No data',
    value: 'Health {{value}}',
  },
  state: { online: 'Online', offline: 'Offline', unknown: 'Unknown' },
  lastSeen: 'Last report {{at}}',
  never: 'Never reported',
};

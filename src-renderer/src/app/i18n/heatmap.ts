/** Strings of the heatmap views; composed into zh-CN.ts and en.ts (see telemetry.ts). */
export const heatmapZh = {
  title: '设备热力图',
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type HeatmapText = Shape<typeof heatmapZh>;

export const heatmapEn: HeatmapText = {
  title: 'Device heatmap',
};

/** Strings of the map views; composed into zh-CN.ts and en.ts (see telemetry.ts). */
export const mapZh = {
  title: '设备地图',
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type MapText = Shape<typeof mapZh>;

export const mapEn: MapText = {
  title: 'Device map',
};

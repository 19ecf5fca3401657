/** Strings of the devices views; composed into zh-CN.ts and en.ts (see telemetry.ts). */
export const devicesZh = {
  title: '设备与接入',
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type DevicesText = Shape<typeof devicesZh>;

export const devicesEn: DevicesText = {
  title: 'Devices and connectors',
};

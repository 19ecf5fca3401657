/**
 * Well-known places of Hangzhou for the offline gazetteer, written by the project from general
 * knowledge. Coordinates are WGS84 and approximate (a few hundred metres): enough to place a call on
 * the demo grid, not a survey. The district and street of each landmark are not written here: the
 * gazetteer derives them from the demo map, whose district shapes are schematic, so they agree with
 * the grid the calls are routed on.
 */
export interface Landmark {
  name: string;
  aliases: readonly string[];
  lng: number;
  lat: number;
}

export const HANGZHOU_LANDMARKS: readonly Landmark[] = [
  { name: '西湖', aliases: ['西子湖'], lng: 120.14, lat: 30.246 },
  { name: '断桥残雪', aliases: ['断桥'], lng: 120.147, lat: 30.263 },
  { name: '雷峰塔', aliases: [], lng: 120.144, lat: 30.234 },
  { name: '灵隐寺', aliases: ['灵隐'], lng: 120.097, lat: 30.243 },
  { name: '六和塔', aliases: [], lng: 120.124, lat: 30.201 },
  { name: '钱塘江大桥', aliases: [], lng: 120.131, lat: 30.203 },
  { name: '龙井村', aliases: [], lng: 120.12, lat: 30.225 },
  { name: '杭州植物园', aliases: [], lng: 120.119, lat: 30.259 },
  { name: '杭州东站', aliases: ['火车东站'], lng: 120.208, lat: 30.293 },
  { name: '杭州站', aliases: ['城站', '杭州火车站'], lng: 120.178, lat: 30.246 },
  { name: '杭州西站', aliases: [], lng: 119.96, lat: 30.397 },
  { name: '杭州南站', aliases: [], lng: 120.288, lat: 30.177 },
  { name: '萧山国际机场', aliases: ['杭州萧山国际机场', '萧山机场'], lng: 120.429, lat: 30.239 },
  { name: '武林广场', aliases: [], lng: 120.16, lat: 30.276 },
  { name: '西湖文化广场', aliases: [], lng: 120.162, lat: 30.281 },
  { name: '湖滨银泰', aliases: ['湖滨银泰in77'], lng: 120.159, lat: 30.259 },
  { name: '吴山广场', aliases: [], lng: 120.164, lat: 30.248 },
  { name: '河坊街', aliases: ['清河坊'], lng: 120.165, lat: 30.245 },
  { name: '钱江新城', aliases: [], lng: 120.207, lat: 30.25 },
  { name: '杭州市民中心', aliases: ['市民中心'], lng: 120.206, lat: 30.248 },
  { name: '杭州奥体中心', aliases: ['奥体中心', '大莲花'], lng: 120.224, lat: 30.233 },
  { name: '杭州国际博览中心', aliases: ['国博中心'], lng: 120.255, lat: 30.233 },
  { name: '黄龙体育中心', aliases: ['黄龙体育馆'], lng: 120.124, lat: 30.27 },
  { name: '西溪湿地', aliases: ['西溪国家湿地公园'], lng: 120.061, lat: 30.273 },
  { name: '浙江大学紫金港校区', aliases: ['浙大紫金港', '紫金港校区'], lng: 120.083, lat: 30.308 },
  { name: '浙江大学玉泉校区', aliases: ['浙大玉泉', '玉泉校区'], lng: 120.119, lat: 30.267 },
  { name: '浙江大学医学院附属第一医院', aliases: ['浙大一院'], lng: 120.175, lat: 30.259 },
  { name: '浙江省人民医院', aliases: ['省人民医院'], lng: 120.161, lat: 30.288 },
  { name: '杭州师范大学仓前校区', aliases: ['杭师大仓前校区'], lng: 119.994, lat: 30.295 },
  { name: '中国美术学院象山校区', aliases: ['美院象山校区'], lng: 120.091, lat: 30.163 },
  { name: '阿里巴巴西溪园区', aliases: ['阿里西溪园区'], lng: 120.021, lat: 30.283 },
  { name: '湘湖景区', aliases: ['湘湖风景区'], lng: 120.21, lat: 30.141 },
  { name: '宋城', aliases: ['杭州宋城'], lng: 120.1, lat: 30.174 },
  { name: '良渚古城遗址', aliases: ['良渚遗址'], lng: 119.99, lat: 30.398 },
  { name: '超山风景区', aliases: ['超山'], lng: 120.263, lat: 30.464 },
  { name: '塘栖古镇', aliases: [], lng: 120.182, lat: 30.487 },
  { name: '径山寺', aliases: [], lng: 119.775, lat: 30.41 },
  { name: '鹳山公园', aliases: ['鹳山'], lng: 119.955, lat: 30.052 },
  { name: '瑶琳仙境', aliases: [], lng: 119.537, lat: 29.888 },
];

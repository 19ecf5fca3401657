import { describe, expect, it } from 'vitest';
import { chineseNumber, normalizeAddress } from './address-normalize';
import { Gazetteer, type GazetteerEntry, bigramDice, buildDemoGazetteer, editDistance } from './gazetteer';

const gaz = buildDemoGazetteer();

describe('address normalisation', () => {
  it('turns full-width characters half-width and drops spaces and punctuation', () => {
    expect(normalizeAddress('西湖区　文三路（２６８号）').text).toBe('西湖区文三路268号');
  });

  it('turns Chinese house numbers into digits but leaves numerals inside names', () => {
    expect(normalizeAddress('文三路二百六十八号十二幢').text).toBe('文三路268号12幢');
    expect(normalizeAddress('三墩镇九堡六号大街').text).toBe('三墩镇九堡6号大街');
    expect(chineseNumber('一千零五')).toBe(1005);
    expect(chineseNumber('二六八')).toBe(268);
    expect(chineseNumber('十')).toBe(10);
  });

  it('measures typos with transpositions and bigrams', () => {
    expect(editDistance('古当街道', '古荡街道')).toBe(1);
    expect(editDistance('荡古街道', '古荡街道')).toBe(1);
    expect(bigramDice('文三路', '文三路')).toBe(1);
    expect(bigramDice('文山路', '超山路')).toBeCloseTo(0.5);
  });
});

describe('demo gazetteer of 杭州', () => {
  it('covers every level and is deterministic', () => {
    const levels = new Set(gaz.entries.map((e) => e.level));
    expect([...levels].sort()).toEqual(['community', 'district', 'landmark', 'road', 'street']);
    expect(buildDemoGazetteer().entries).toEqual(gaz.entries);
  });

  it('matches an exact address down to its street', () => {
    const r = gaz.geocode('西湖区古荡街道文三路268号');
    expect(r.ambiguous).toBe(false);
    expect(r.reason).toBeNull();
    expect(r.matches[0]).toMatchObject({
      name: '古荡街道',
      level: 'street',
      district: '西湖区',
      street: '古荡街道',
      fuzzy: false,
    });
    expect(r.matches[0]!.path).toBe('西湖区 / 古荡街道 / 文三路');
    expect(r.matches[0]!.score).toBe(1);
  });

  it('ignores the province and city prefix, full width and Chinese numbers included', () => {
    const plain = gaz.geocode('西湖区古荡街道文三路268号');
    const prefixed = gaz.geocode('浙江省杭州市西湖区古荡街道文三路二百六十八号');
    expect(prefixed.normalized).toBe('西湖区古荡街道文三路268号');
    expect(prefixed.matches[0]).toEqual(plain.matches[0]);
    expect(gaz.geocode('杭州西湖区古荡街道').matches[0]?.name).toBe('古荡街道');
    // …but a name that starts with 杭州 keeps it.
    expect(gaz.geocode('杭州东站').matches[0]).toMatchObject({ name: '杭州东站', level: 'landmark' });
  });

  it('finds a street through a typo, marked fuzzy and scored lower', () => {
    const r = gaz.geocode('西湖区古当街道');
    expect(r.ambiguous).toBe(false);
    expect(r.matches[0]).toMatchObject({ name: '古荡街道', district: '西湖区', fuzzy: true });
    expect(r.matches[0]!.score).toBeLessThan(1);
    expect(r.matches[0]!.score).toBeGreaterThan(0.5);
  });

  it('shows every road one typo away instead of guessing one', () => {
    const r = gaz.geocode('文四路');
    expect(r.ambiguous).toBe(true);
    expect(r.reason?.code).toBe('ambiguous');
    expect(r.matches.map((m) => m.name)).toEqual(expect.arrayContaining(['文一路', '文二路', '文三路']));
  });

  it('lets a district in the address decide between places', () => {
    // The landmark 西湖 inside 西湖区 is part of the longer name, not a second place.
    expect(gaz.geocode('西湖区').matches[0]).toMatchObject({ name: '西湖区', level: 'district' });
    expect(gaz.geocode('西湖').matches[0]).toMatchObject({ name: '西湖', level: 'landmark' });
    // A short name for the street, with the coarser level winning over a community of the same stem.
    expect(gaz.geocode('九堡').matches[0]).toMatchObject({ name: '九堡街道', level: 'street' });
  });

  it('says why nothing matched', () => {
    expect(gaz.geocode('').reason?.code).toBe('empty');
    expect(gaz.geocode('x'.repeat(500)).reason?.code).toBe('too-long');
    expect(gaz.geocode('221B Baker Street').reason?.code).toBe('not-chinese');
    expect(gaz.geocode('北京市朝阳区建国路').reason).toMatchObject({ code: 'elsewhere' });
    expect(gaz.geocode('宁波市江北区人民路').reason?.message).toMatch(/宁波市/);
    const none = gaz.geocode('农贸市场门口');
    expect(none.matches).toEqual([]);
    expect(none.reason?.code).toBe('not-found');
  });
});

describe('ambiguous names', () => {
  const entry = (
    level: GazetteerEntry['level'],
    name: string,
    district: string,
    lng: number,
  ): GazetteerEntry => ({
    id: `${level}:${district}:${name}`,
    name,
    aliases: [],
    level,
    lng,
    lat: 30.25,
    district,
    street: null,
  });
  // Two communities named 新华社区, as real cities have, in two districts.
  const g = new Gazetteer([
    entry('district', '上城区', '上城区', 120.2),
    entry('district', '拱墅区', '拱墅区', 120.15),
    entry('community', '新华社区', '上城区', 120.21),
    entry('community', '新华社区', '拱墅区', 120.16),
  ]);

  it('returns both candidates when the address does not say which', () => {
    const r = g.geocode('新华社区5幢');
    expect(r.ambiguous).toBe(true);
    expect(r.matches.map((m) => m.district).sort()).toEqual(['上城区', '拱墅区']);
    expect(r.reason?.message).toMatch(/2 places/);
  });

  it('picks the one in the district the address names', () => {
    const r = g.geocode('拱墅区新华社区');
    expect(r.ambiguous).toBe(false);
    expect(r.matches[0]).toMatchObject({ name: '新华社区', district: '拱墅区', lng: 120.16 });
  });
});

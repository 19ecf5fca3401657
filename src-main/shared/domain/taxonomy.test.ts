import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY, pathPrefix, resolveCategory, TaxonomySchema, taxonomyLeaves } from './taxonomy';

describe('DEFAULT_TAXONOMY', () => {
  it('passes its own schema and has the level-1 classes and leaves the hotline needs', () => {
    expect(TaxonomySchema.safeParse(DEFAULT_TAXONOMY).success).toBe(true);
    const l1 = DEFAULT_TAXONOMY.classes.map((c) => c.zh);
    expect(l1.length).toBeGreaterThanOrEqual(12);
    expect(l1).toEqual(
      expect.arrayContaining([
        '城乡建设',
        '环境保护',
        '交通运输',
        '教育文体',
        '劳动和社会保障',
        '商贸旅游',
        '卫生计生',
      ]),
    );
    const paths = taxonomyLeaves(DEFAULT_TAXONOMY).map((l) => l.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '环境保护/环境污染/噪音污染',
        '城乡建设/城乡规划/违章建筑',
        '环境保护/环境污染/大气污染',
      ]),
    );
  });

  it('rejects duplicates and names with the path separator', () => {
    const dup = structuredClone(DEFAULT_TAXONOMY);
    dup.classes.push(structuredClone(dup.classes[0]!));
    expect(TaxonomySchema.safeParse(dup).success).toBe(false);
    const slash = structuredClone(DEFAULT_TAXONOMY);
    slash.classes[0]!.zh = '城乡/建设';
    expect(TaxonomySchema.safeParse(slash).success).toBe(false);
  });

  it('resolves categories written as names or ids at any depth', () => {
    expect(resolveCategory(DEFAULT_TAXONOMY, '环境保护')).toBe('环境保护');
    expect(resolveCategory(DEFAULT_TAXONOMY, ' 环境保护 / 环境污染 ')).toBe('环境保护/环境污染');
    expect(resolveCategory(DEFAULT_TAXONOMY, 'environment.pollution.noise')).toBe(
      '环境保护/环境污染/噪音污染',
    );
    expect(resolveCategory(DEFAULT_TAXONOMY, 'environment/pollution/noise')).toBe(
      '环境保护/环境污染/噪音污染',
    );
    expect(resolveCategory(DEFAULT_TAXONOMY, '环境保护/违章建筑')).toBeNull();
    expect(resolveCategory(DEFAULT_TAXONOMY, '')).toBeNull();
    expect(pathPrefix('环境保护/环境污染/噪音污染', 2)).toBe('环境保护/环境污染');
  });
});

import { describe, expect, it } from 'vitest';
import { en } from './en';
import { localize } from './index';
import { zhCN } from './zh-CN';

function flatten(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v as object, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('i18n resources', () => {
  const zh = flatten(zhCN);
  const enFlat = flatten(en);

  it('has every key in both languages', () => {
    expect([...zh.keys()].filter((k) => !enFlat.has(k))).toEqual([]);
    expect([...enFlat.keys()].filter((k) => !zh.has(k))).toEqual([]);
    expect(zh.size).toBeGreaterThan(100);
  });

  it('uses the same interpolation placeholders in both languages', () => {
    for (const [key, text] of zh) expect(placeholders(enFlat.get(key)!), key).toEqual(placeholders(text));
  });

  it('has no empty strings, and the Chinese texts are not left in English', () => {
    for (const [key, text] of [...zh, ...enFlat]) expect(text.trim(), key).not.toBe('');
    const untranslated = [...zh].filter(
      ([key, text]) => text === enFlat.get(key) && /[a-z]{4,}/i.test(text.replace(/\{\{\s*\w+\s*\}\}/g, '')),
    );
    // Language names are deliberately written in their own language.
    expect(untranslated.map(([k]) => k).filter((k) => !k.startsWith('languageName.'))).toEqual([]);
  });

  it('picks the configuration labels by language', () => {
    const label = { 'zh-CN': '设备故障', en: 'Device fault' };
    expect(localize(label, 'zh-CN')).toBe('设备故障');
    expect(localize(label, 'en')).toBe('Device fault');
    expect(localize('张伟', 'en')).toBe('张伟');
    expect(localize(null, 'en')).toBe('');
  });
});

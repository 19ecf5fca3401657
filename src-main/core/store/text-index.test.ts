import { describe, expect, it } from 'vitest';
import { indexText, matchExpression } from './text-index';

describe('text index', () => {
  it('indexes Chinese as overlapping bigrams plus the run’s last character, ASCII as lower-case words', () => {
    expect(indexText('逆变器故障', 'INV-00017')).toBe('逆变 变器 器故 故障 障 inv 00017');
  });

  it('splits where the script changes, so Chinese after a digit or a Latin letter is still found', () => {
    expect(indexText('3号线设备故障')).toBe('3 号线 线设 设备 备故 故障 障');
    expect(indexText('A区2号机组')).toBe('a 区 2 号机 机组 组');
    expect(matchExpression('2号机组')).toBe('"2" "号机 机组"');
  });

  it('turns a query into contiguous phrases with prefix matching for single characters and the last word', () => {
    expect(matchExpression('电压纹波')).toBe('"电压 压纹 纹波"');
    expect(matchExpression('阀')).toBe('阀*');
    expect(matchExpression('WF-2026-0001')).toBe('"wf" "2026" 0001*');
    expect(matchExpression('纹波 inv')).toBe('纹波* inv*');
    expect(matchExpression('  ,,  ')).toBeNull();
  });
});

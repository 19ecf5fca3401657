import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesInText } from './phone-mask';

describe('phone masking', () => {
  it('masks a caller number to its first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('0571-87654321')).toBe('057****4321');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('')).toBeNull();
    expect(maskPhone(null)).toBeNull();
  });

  it('masks numbers spoken inside a call text and leaves house numbers alone', () => {
    expect(maskPhonesInText('我的电话是13812345678，住文三路88号')).toBe(
      '我的电话是138****5678，住文三路88号',
    );
    expect(maskPhonesInText('回电 +86 139 1234 0000 或 0571-8765 4321')).toBe(
      '回电 139****0000 或 0571-****4321',
    );
    expect(maskPhonesInText('3号楼2单元1502室')).toBe('3号楼2单元1502室');
  });
});

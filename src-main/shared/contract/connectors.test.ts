import { describe, expect, it } from 'vitest';
import { BrokerUrl } from './connectors';

describe('BrokerUrl', () => {
  it('takes the four schemes and embedded://, and refuses credentials in the URL', () => {
    for (const ok of [
      'mqtt://10.0.0.5:1883',
      'mqtts://b.example:8883',
      'wss://b.example/mqtt',
      'embedded://',
    ])
      expect(BrokerUrl.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['http://x', 'mqtt://', 'embedded://x', 'mqtt://a b'])
      expect(BrokerUrl.safeParse(bad).success, bad).toBe(false);
    const withUser = BrokerUrl.safeParse('mqtt://ops:secret@10.0.0.5:1883');
    expect(withUser.success).toBe(false);
    expect(withUser.error?.issues[0]?.message).toMatch(/own fields/);
    expect(BrokerUrl.safeParse('wss://b.example/path@v2').success).toBe(true);
  });
});

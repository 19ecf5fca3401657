import type { ConfigDocument } from '@shared/contract';
import { defaultConfig } from '@shared/domain';

/** The seeded configuration, as the renderer receives it from `config/get`. */
export function testConfig(): ConfigDocument {
  return defaultConfig('2026-01-01T00:00:00.000Z');
}

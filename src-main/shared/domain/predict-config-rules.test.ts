import { describe, expect, it } from 'vitest';
import type { PredictConfig } from '../contract';
import { defaultConfig } from './default-config';
import { checkPredictConfig } from './predict-config-rules';
import { DEFAULT_PREDICT_CONFIG } from './predict-defaults';

const config = defaultConfig('2026-01-01T00:00:00.000Z');
const copy = (): PredictConfig => structuredClone(DEFAULT_PREDICT_CONFIG);

describe('checkPredictConfig', () => {
  it('accepts the defaults', () => {
    expect(checkPredictConfig(DEFAULT_PREDICT_CONFIG, config)).toEqual([]);
  });

  it('names every broken reference by its path', () => {
    const cfg = copy();
    cfg.knowledge[0]!.modes[0]!.sopId = 'sop-missing';
    cfg.knowledge[0]!.modes[0]!.parts = [{ sku: 'NO-SUCH', qty: 1 }];
    cfg.knowledge[0]!.modes[0]!.symptoms[0] = {
      feature: 'voltage.mean',
      pattern: 'above',
      threshold: 2,
      weight: 1,
    };
    cfg.engineers[0]!.userId = 'u-nobody';
    cfg.engineers[1]!.depotId = 'depot-nowhere';
    cfg.weather.url = 'http://forecast.example/?lat=1';
    const paths = checkPredictConfig(cfg, config).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'knowledge.0.modes.0.sopId',
        'knowledge.0.modes.0.parts.0.sku',
        'knowledge.0.modes.0.symptoms.0.feature',
        'engineers.0.userId',
        'engineers.1.depotId',
        'weather.url',
      ]),
    );
  });

  it('refuses duplicates, a kind that does not exist, all-zero weights and a missing default tier', () => {
    const cfg = copy();
    cfg.sops.push(cfg.sops[0]!);
    cfg.knowledge.push({ ...cfg.knowledge[0]!, deviceKind: 'toaster' });
    cfg.dispatch.weights = { arrival: 0, cost: 0, slaRisk: 0, customerPriority: 0 };
    delete cfg.dispatch.customerTiers.default;
    const messages = checkPredictConfig(cfg, config).map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        `sops.${cfg.sops.length - 1}: duplicate SOP ${cfg.sops[0]!.id}`,
        `knowledge.${cfg.knowledge.length - 1}.deviceKind: no device kind toaster`,
        'dispatch.weights: at least one weight must be above 0',
        'dispatch.customerTiers.default: a default tier is needed for devices without one',
      ]),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { PredictConfig, PredictivePolicy } from '../contract';
import { DEFAULT_DEVICE_KINDS, defaultConfig } from './default-config';
import { DEFAULT_PREDICT_CONFIG, DEFAULT_PREDICTIVE_POLICIES } from './predict-defaults';

const cfg = DEFAULT_PREDICT_CONFIG;

describe('default predictive configuration', () => {
  it('parses with the contract schemas', () => {
    expect(() => PredictConfig.parse(cfg)).not.toThrow();
    for (const p of DEFAULT_PREDICTIVE_POLICIES) expect(() => PredictivePolicy.parse(p)).not.toThrow();
    expect(DEFAULT_PREDICTIVE_POLICIES.map((p) => p.deviceKind)).toContain('pv-inverter');
  });

  it('models the three simulated pv-inverter modes and at least one other kind', () => {
    const pv = cfg.knowledge.find((k) => k.deviceKind === 'pv-inverter');
    expect(pv?.modes.map((m) => m.id)).toEqual(['capacitor-ageing', 'loose-contact', 'fan-failure']);
    expect(cfg.knowledge.some((k) => k.deviceKind === 'wind-turbine')).toBe(true);
    for (const k of cfg.knowledge)
      for (const m of k.modes) {
        expect(m.causes.length).toBeGreaterThanOrEqual(2);
        const priors = m.causes.reduce((s, c) => s + c.prior, 0);
        expect(priors).toBeGreaterThan(0.99);
        expect(priors).toBeLessThan(1.01);
      }
  });

  it('references only SOPs, parts, skills, depots and users that exist', () => {
    const sops = new Set(cfg.sops.map((s) => s.id));
    const skus = new Set(cfg.parts.map((p) => p.sku));
    const depots = new Set(cfg.depots.map((d) => d.id));
    const skills = new Set(cfg.engineers.flatMap((e) => e.skills));
    const engineerUsers = defaultConfig('2026-01-01T00:00:00.000Z').directory.users.filter((u) =>
      u.roles.includes('engineer'),
    );
    for (const k of cfg.knowledge)
      for (const m of k.modes) {
        if (m.sopId !== null) expect(sops, `${m.id} → ${m.sopId}`).toContain(m.sopId);
        for (const p of m.parts) expect(skus, `${m.id} → ${p.sku}`).toContain(p.sku);
      }
    for (const s of cfg.sops)
      for (const skill of s.skills) expect(skills, `${s.id} → ${skill}`).toContain(skill);
    for (const d of cfg.depots) for (const sku of Object.keys(d.stock)) expect(skus).toContain(sku);
    for (const e of cfg.engineers) if (e.depotId !== null) expect(depots).toContain(e.depotId);
    // Every directory engineer is dispatchable, and nobody else is.
    expect(cfg.engineers.map((e) => e.userId).sort()).toEqual(engineerUsers.map((u) => u.id).sort());
    expect(cfg.dispatch.customerTiers).toHaveProperty('default');
  });

  it('names only features the device kinds can produce', () => {
    for (const k of cfg.knowledge) {
      const kind = DEFAULT_DEVICE_KINDS.find((d) => d.id === k.deviceKind);
      expect(kind, k.deviceKind).toBeDefined();
      const metrics = new Set(kind!.metrics.map((m) => m.key));
      for (const m of k.modes)
        for (const s of m.symptoms) {
          if (s.feature === 'coverage') continue;
          expect(metrics, `${m.id}: ${s.feature}`).toContain(s.feature.split('.')[0]);
        }
    }
  });

  it('leaves one depot short of capacitor banks so part sourcing shows', () => {
    const short = cfg.depots.filter((d) => (d.stock['CAP-DCL-1100'] ?? 0) === 0);
    expect(short.length).toBe(1);
    expect(cfg.depots.some((d) => (d.stock['CAP-DCL-1100'] ?? 0) > 0)).toBe(true);
  });
});

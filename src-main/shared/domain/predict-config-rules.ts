import type { ConfigDocument } from '../contract/config';
import type { PredictConfig } from '../contract/predict-config';
import type { ConfigIssue } from './config-rules';

/**
 * Cross-references of the predictive configuration that zod cannot express: every SOP, part,
 * depot, skill, user, device kind and feature a document names must exist, ids must be unique,
 * and the weights must choose something. A document with issues is refused whole.
 */
export function checkPredictConfig(cfg: PredictConfig, config: ConfigDocument): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const issue = (path: string, message: string): void => void issues.push({ path, message });
  const unique = (ids: string[], path: string, what: string): void => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) issue(`${path}.${i}`, `duplicate ${what} ${id}`);
      seen.add(id);
    });
  };
  unique(
    cfg.sops.map((s) => s.id),
    'sops',
    'SOP',
  );
  unique(
    cfg.parts.map((p) => p.sku),
    'parts',
    'SKU',
  );
  unique(
    cfg.depots.map((d) => d.id),
    'depots',
    'depot',
  );
  unique(
    cfg.engineers.map((e) => e.userId),
    'engineers',
    'engineer',
  );
  unique(
    cfg.knowledge.map((k) => k.deviceKind),
    'knowledge',
    'device kind',
  );

  const sops = new Set(cfg.sops.map((s) => s.id));
  const skus = new Set(cfg.parts.map((p) => p.sku));
  const depots = new Set(cfg.depots.map((d) => d.id));
  const users = new Set(config.directory.users.map((u) => u.id));
  const skills = new Set(cfg.engineers.flatMap((e) => e.skills));

  cfg.knowledge.forEach((k, ki) => {
    const kind = config.deviceKinds.find((d) => d.id === k.deviceKind);
    if (!kind) issue(`knowledge.${ki}.deviceKind`, `no device kind ${k.deviceKind}`);
    const metrics = new Set(kind?.metrics.map((m) => m.key) ?? []);
    unique(
      k.modes.map((m) => m.id),
      `knowledge.${ki}.modes`,
      'failure mode',
    );
    k.modes.forEach((m, mi) => {
      const at = `knowledge.${ki}.modes.${mi}`;
      if (m.sopId !== null && !sops.has(m.sopId)) issue(`${at}.sopId`, `no SOP ${m.sopId}`);
      m.parts.forEach((p, pi) => {
        if (!skus.has(p.sku)) issue(`${at}.parts.${pi}.sku`, `no part ${p.sku}`);
      });
      m.symptoms.forEach((s, si) => {
        const metric = s.feature === 'coverage' ? null : s.feature.split('.')[0]!;
        if (kind && metric !== null && !metrics.has(metric))
          issue(`${at}.symptoms.${si}.feature`, `${k.deviceKind} has no metric ${metric}`);
      });
    });
  });
  cfg.sops.forEach((s, i) =>
    s.skills.forEach((skill, j) => {
      if (!skills.has(skill)) issue(`sops.${i}.skills.${j}`, `no engineer has skill ${skill}`);
    }),
  );
  cfg.depots.forEach((d, i) =>
    Object.keys(d.stock).forEach((sku) => {
      if (!skus.has(sku)) issue(`depots.${i}.stock.${sku}`, `no part ${sku}`);
    }),
  );
  cfg.engineers.forEach((e, i) => {
    if (!users.has(e.userId)) issue(`engineers.${i}.userId`, `no user ${e.userId} in the directory`);
    if (e.depotId !== null && !depots.has(e.depotId))
      issue(`engineers.${i}.depotId`, `no depot ${e.depotId}`);
  });
  const w = cfg.dispatch.weights;
  if (w.arrival + w.cost + w.slaRisk + w.customerPriority <= 0)
    issue('dispatch.weights', 'at least one weight must be above 0');
  if (!('default' in cfg.dispatch.customerTiers))
    issue('dispatch.customerTiers.default', 'a default tier is needed for devices without one');
  const url = cfg.weather.url;
  if (url !== null) {
    if (!url.includes('{lat}') || !url.includes('{lng}'))
      issue('weather.url', 'must contain {lat} and {lng}');
    else if (!/^https?:\/\//.test(url)) issue('weather.url', 'must be an http or https URL');
  }
  return issues;
}

import type { FeatureEvidence, Hypothesis, KindKnowledge } from '@shared/contract';
import {
  EvidenceError,
  matchDegree,
  patternMeasure,
  toEvidence,
  windowStats,
  type EvidenceWindow,
  type LabelLookup,
} from './evidence';
import type { ModeHistory } from './history-index';

/**
 * Root-cause hypotheses for one at-risk device: each failure mode of its kind scored by three
 * explainable pieces of evidence — what the model thinks (its mode distribution), which of the
 * mode's symptom patterns the window shows, and how often resolved tickets of similar devices
 * turned out to be that mode. Deterministic: the same inputs rank the same way.
 */

export interface BlendWeights {
  model: number;
  symptoms: number;
  history: number;
}

/**
 * The model leads (it was trained on ground truth), the symptoms can overrule an unsure model,
 * and history only tips near-ties: it describes similar devices, not this one.
 */
export const DEFAULT_BLEND: BlendWeights = { model: 0.5, symptoms: 0.35, history: 0.15 };

export interface RankInput extends EvidenceWindow {
  knowledge: KindKnowledge;
  /** The model's mode distribution by mode id; null without a model (rules only). */
  modelModes: Readonly<Record<string, number>> | null;
  /** From {@link HistoryIndex.rates}; null or empty when there is no history. */
  history: Readonly<Record<string, Pick<ModeHistory, 'similarResolved' | 'matching' | 'examples'>>> | null;
  labels: LabelLookup;
  blend?: BlendWeights;
}

/** Ranks every mode of the kind, best first; scores sum to at most 1. */
export function rankHypotheses(input: RankInput): Hypothesis[] {
  const { knowledge, modelModes, history, labels } = input;
  const blend = input.blend ?? DEFAULT_BLEND;
  for (const [k, v] of Object.entries(blend))
    if (!(v >= 0) || !Number.isFinite(v)) throw new EvidenceError(`blend weight ${k} must be ≥ 0, got ${v}`);
  if (modelModes)
    for (const [id, p] of Object.entries(modelModes))
      if (!Number.isFinite(p) || p < 0 || p > 1)
        throw new EvidenceError(`model probability of mode ${id} must be in 0…1, got ${p}`);
  const stats = windowStats(input);
  const modes = knowledge.modes;
  const k = modes.length;

  const rows = modes.map((mode, order) => {
    // Symptoms: weighted mean degree over the patterns the window can show.
    let sumW = 0;
    let sumWD = 0;
    const matched: { degree: number; evidence: FeatureEvidence }[] = [];
    for (const p of mode.symptoms) {
      const m = patternMeasure(stats, p.feature, p.pattern, p.threshold);
      if (!m) continue;
      const degree = matchDegree(m.value, m.threshold);
      sumW += p.weight;
      sumWD += p.weight * degree;
      if (m.value >= m.threshold)
        matched.push({ degree, evidence: toEvidence(stats.byFeature.get(p.feature)!, p.pattern, labels) });
    }
    const symptom = sumW > 0 ? sumWD / sumW : null;

    const h = history?.[mode.id];
    // Laplace smoothing over the modes: no history is a uniform 1/k, which tips nothing.
    const histRate = h ? (h.matching + 1) / (h.similarResolved + k) : 1 / k;
    const modelP = modelModes ? (modelModes[mode.id] ?? 0) : null;

    let w = 0;
    let raw = 0;
    if (modelModes) {
      w += blend.model;
      raw += blend.model * modelP!;
    }
    if (symptom !== null) {
      w += blend.symptoms;
      raw += blend.symptoms * symptom;
    }
    w += blend.history;
    raw += blend.history * histRate;

    const cause = [...mode.causes].sort((a, b) => b.prior - a.prior)[0]!;
    return {
      order,
      raw: w > 0 ? raw / w : 0,
      hypothesis: {
        modeId: mode.id,
        mode: mode.name,
        cause: cause.name,
        score: 0,
        modelProbability: modelP === null ? null : modelP,
        symptoms: matched.sort((a, b) => b.degree - a.degree).map((x) => x.evidence),
        history: {
          similarResolved: h?.similarResolved ?? 0,
          matching: h?.matching ?? 0,
          examples: (h?.examples ?? []).slice(0, 5),
        },
        sopId: mode.sopId,
        partSkus: mode.parts.map((p) => p.sku),
      } satisfies Hypothesis,
    };
  });

  // Model and history parts each sum to ≤ 1 over the modes; symptoms need not, so rescale if over.
  const total = rows.reduce((s, r) => s + r.raw, 0);
  const scale = total > 1 ? 1 / total : 1;
  // Floored so rounding never lifts the sum above 1.
  for (const r of rows) r.hypothesis.score = Math.floor(r.raw * scale * 1e4) / 1e4;
  return rows
    .sort((a, b) => b.hypothesis.score - a.hypothesis.score || a.order - b.order)
    .map((r) => r.hypothesis);
}

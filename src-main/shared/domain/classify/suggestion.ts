import type { ClassifySuggestion } from '../../contract/hotline';
import type { ClassifyResult } from './classifier';

/** The level-1 probability: what the double-dispatch threshold is measured on (docs/classifier.md). */
export function dispatchConfidence(r: ClassifyResult): number {
  return r.levels[0] ?? r.confidence;
}

/**
 * A classifier answer as `hotline/classify` returns it — the same in the core and in the console's
 * classify worker. `leafIdOf` maps a category path to its taxonomy leaf id ('' when unknown).
 */
export function toClassifySuggestion(
  r: ClassifyResult,
  leafIdOf: (path: string) => string | undefined,
  doubleDispatchBelow: number,
): ClassifySuggestion {
  return {
    category: r.category,
    leafId: r.leafId,
    confidence: r.confidence,
    topWords: r.topWords,
    alternatives: r.alternatives.map((a) => ({
      category: a.category,
      leafId: leafIdOf(a.category) ?? '',
      confidence: a.confidence,
    })),
    lowConfidence: dispatchConfidence(r) < doubleDispatchBelow,
  };
}

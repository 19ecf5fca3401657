import { getDefaultClassifier, type TextClassifier } from '@shared/domain/classify/classifier';
import { ClassifyInputError } from '@shared/domain/classify/input';
import { toClassifySuggestion } from '@shared/domain/classify/suggestion';
import { taxonomyLeaves } from '@shared/domain/taxonomy';
import type { ClassifyRequest, ClassifyResponse } from './classify-protocol';

/** The classify worker's logic, free of the worker globals (tests drive it directly). */
export class ClassifyEngine {
  private readonly leafIds: Map<string, string>;

  constructor(private readonly classifier: TextClassifier) {
    this.leafIds = new Map(taxonomyLeaves(classifier.taxonomy).map((l) => [l.path, l.id]));
  }

  /** Builds the shipped seed classifier; answers `ready` with the build time, or `failed`. */
  static build(
    now: () => number,
    make: () => TextClassifier = getDefaultClassifier,
  ): { engine: ClassifyEngine | null; message: ClassifyResponse } {
    const started = now();
    try {
      const engine = new ClassifyEngine(make());
      return { engine, message: { type: 'ready', ms: now() - started } };
    } catch (err) {
      return { engine: null, message: { type: 'failed', message: errorText(err) } };
    }
  }

  handle(req: ClassifyRequest, now: () => number): ClassifyResponse {
    const started = now();
    try {
      const r = this.classifier.classify(req.text, { alternatives: 3, topWords: 5 });
      const suggestion = toClassifySuggestion(r, (p) => this.leafIds.get(p), req.doubleDispatchBelow);
      return { type: 'classified', id: req.id, suggestion, ms: now() - started };
    } catch (err) {
      return {
        type: 'error',
        id: req.id,
        kind: err instanceof ClassifyInputError ? 'input' : 'internal',
        message: errorText(err),
      };
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

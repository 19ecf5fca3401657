import { getDefaultClassifier, type TextClassifier } from '@shared/domain/classify/classifier';
import { ClassifyInputError } from '@shared/domain/classify/input';
import { classifierFromJson } from '@shared/domain/classify/model-json';
import { toClassifySuggestion } from '@shared/domain/classify/suggestion';
import { taxonomyLeaves } from '@shared/domain/taxonomy';
import type { ClassifyRequest, ClassifyResponse, UseModelRequest } from './classify-protocol';

/** The classify worker's logic, free of the worker globals (tests drive it directly). */
export class ClassifyEngine {
  private leafIds: Map<string, string>;

  constructor(
    private classifier: TextClassifier,
    private readonly seed: () => TextClassifier = getDefaultClassifier,
  ) {
    this.leafIds = new Map(taxonomyLeaves(classifier.taxonomy).map((l) => [l.path, l.id]));
  }

  /** Which model answers: the seed classifier or a trained one. */
  get kind(): 'seed' | 'trained' {
    return this.classifier.info.kind;
  }

  /** Switches to a trained model (its JSON) or back to the seed (null); a bad model keeps the current one. */
  useModel(req: UseModelRequest): ClassifyResponse {
    try {
      const next = req.model === null ? this.seed() : classifierFromJson(req.model, this.classifier.taxonomy);
      this.classifier = next;
      this.leafIds = new Map(taxonomyLeaves(next.taxonomy).map((l) => [l.path, l.id]));
      return { type: 'modelLoaded', id: req.id, kind: next.info.kind };
    } catch (err) {
      return { type: 'modelFailed', id: req.id, message: errorText(err) };
    }
  }

  /** Builds the shipped seed classifier; answers `ready` with the build time, or `failed`. */
  static build(
    now: () => number,
    make: () => TextClassifier = getDefaultClassifier,
  ): { engine: ClassifyEngine | null; message: ClassifyResponse } {
    const started = now();
    try {
      const engine = new ClassifyEngine(make(), make);
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

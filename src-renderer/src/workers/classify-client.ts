import type { ClassifySuggestion } from '@shared/contract/hotline';
import type { ClassifyResponse, ClassifyWorkerRequest } from './classify-protocol';

/**
 * The UI side of the classify worker: starts it, tracks whether it is ready, and turns requests into
 * promises. A worker that fails to build, crashes, answers with an internal error or does not answer
 * in time is stopped for good (`failed`); the caller then asks the core instead. `useModel` gives the
 * worker the hub's trained model; a worker that cannot load it is stopped too, so that a suggestion of
 * the worker never differs from the hub's.
 */

export type LocalClassifierStatus = 'off' | 'starting' | 'ready' | 'failed' | 'unsupported';

/** What the client needs of a Worker (tests pass a fake). */
export interface ClassifyWorkerLike {
  onmessage: ((ev: { data: ClassifyResponse }) => void) | null;
  onerror: ((ev: { message?: string }) => void) | null;
  postMessage(message: ClassifyWorkerRequest): void;
  terminate(): void;
}

/** Why a local answer is missing: `input` (the text itself; the core would refuse it too) or the worker. */
export class LocalClassifyError extends Error {
  constructor(
    readonly kind: 'input' | 'internal' | 'timeout' | 'stopped',
    message: string,
  ) {
    super(message);
    this.name = 'LocalClassifyError';
  }
}

export interface LocalClassifierOptions {
  /** Builds the worker; null when the platform has none. */
  createWorker?: () => ClassifyWorkerLike | null;
  /** A request unanswered this long fails the worker (ms; the build itself is not timed). */
  timeoutMs?: number;
  /** Told on every status change. */
  onStatus?: (status: LocalClassifierStatus, error: string | null) => void;
}

export function defaultClassifyWorker(): ClassifyWorkerLike | null {
  if (typeof Worker === 'undefined') return null;
  return new Worker(new URL('./classify.worker.ts', import.meta.url), {
    type: 'module',
    name: 'watchfloor-classify',
  }) as unknown as ClassifyWorkerLike;
}

interface Waiting {
  resolve: (answer: { suggestion: ClassifySuggestion; ms: number }) => void;
  reject: (err: LocalClassifyError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class LocalClassifier {
  status: LocalClassifierStatus = 'off';
  error: string | null = null;
  /** Milliseconds the worker took to build the classifier. */
  buildMs: number | null = null;
  /** The model the worker answers with (confirmed by the worker). */
  modelKind: 'seed' | 'trained' = 'seed';

  private worker: ClassifyWorkerLike | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly loading = new Map<
    number,
    { resolve: (kind: 'seed' | 'trained') => void; reject: (err: LocalClassifyError) => void }
  >();
  private readonly createWorker: () => ClassifyWorkerLike | null;
  private readonly timeoutMs: number;

  constructor(private readonly options: LocalClassifierOptions = {}) {
    this.createWorker = options.createWorker ?? defaultClassifyWorker;
    this.timeoutMs = options.timeoutMs ?? 1_000;
  }

  /** Starts the worker once (later calls do nothing). */
  start(): void {
    if (this.status !== 'off') return;
    let worker: ClassifyWorkerLike | null;
    try {
      worker = this.createWorker();
    } catch (err) {
      this.fail(`the classify worker cannot start: ${errorText(err)}`);
      return;
    }
    if (!worker) {
      this.setStatus('unsupported', null);
      return;
    }
    this.worker = worker;
    worker.onmessage = (ev) => this.receive(ev.data);
    worker.onerror = (ev) => this.fail(`the classify worker failed: ${ev.message ?? 'unknown error'}`);
    this.setStatus('starting', null);
  }

  /** The worker's suggestion; rejects with a LocalClassifyError. */
  classify(
    text: string,
    doubleDispatchBelow: number,
  ): Promise<{ suggestion: ClassifySuggestion; ms: number }> {
    const worker = this.worker;
    if (this.status !== 'ready' || !worker)
      return Promise.reject(new LocalClassifyError('stopped', `the classify worker is ${this.status}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(`the classify worker did not answer within ${this.timeoutMs} ms`, 'timeout'),
        this.timeoutMs,
      );
      this.waiting.set(id, { resolve, reject, timer });
      worker.postMessage({ type: 'classify', id, text, doubleDispatchBelow });
    });
  }

  /**
   * Makes the worker answer with a trained model (its JSON) or the seed (null). Resolves with the kind
   * the worker now uses; while the worker is starting it loads the model right after its build.
   */
  useModel(model: unknown): Promise<'seed' | 'trained'> {
    const worker = this.worker;
    if ((this.status !== 'ready' && this.status !== 'starting') || !worker)
      return Promise.reject(new LocalClassifyError('stopped', `the classify worker is ${this.status}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.loading.set(id, { resolve, reject });
      worker.postMessage({ type: 'useModel', id, model });
    });
  }

  stop(): void {
    this.shutdown(new LocalClassifyError('stopped', 'the classify worker stopped'));
    if (this.status !== 'unsupported' && this.status !== 'failed') this.setStatus('off', null);
  }

  private receive(res: ClassifyResponse): void {
    switch (res.type) {
      case 'ready':
        this.buildMs = res.ms;
        this.setStatus('ready', null);
        return;
      case 'failed':
        this.fail(`the classify worker could not build the classifier: ${res.message}`);
        return;
      case 'modelLoaded': {
        const l = this.loading.get(res.id);
        this.loading.delete(res.id);
        this.modelKind = res.kind;
        l?.resolve(res.kind);
        return;
      }
      case 'modelFailed':
        this.fail(`the classify worker could not load the hub's model: ${res.message}`);
        return;
      case 'classified': {
        const w = this.take(res.id);
        w?.resolve({ suggestion: res.suggestion, ms: res.ms });
        return;
      }
      case 'error': {
        if (res.kind === 'internal') {
          this.fail(res.message);
          return;
        }
        this.take(res.id)?.reject(new LocalClassifyError('input', res.message));
        return;
      }
    }
  }

  private take(id: number): Waiting | undefined {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    clearTimeout(w.timer);
    this.waiting.delete(id);
    return w;
  }

  private fail(message: string, kind: 'internal' | 'timeout' = 'internal'): void {
    this.shutdown(new LocalClassifyError(kind, message));
    this.setStatus('failed', message);
  }

  private shutdown(reason: LocalClassifyError): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
    }
    for (const id of [...this.waiting.keys()]) this.take(id)?.reject(reason);
    for (const l of this.loading.values()) l.reject(reason);
    this.loading.clear();
  }

  private setStatus(status: LocalClassifierStatus, error: string | null): void {
    this.status = status;
    this.error = error;
    this.options.onStatus?.(status, error);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

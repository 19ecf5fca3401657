import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClassifySuggestion, ResponsibilityMatrix } from '@shared/contract';
import type { ClassifyWorkerLike } from '../../workers/classify-client';
import type {
  ClassifyRequest,
  ClassifyResponse,
  ClassifyWorkerRequest,
  UseModelRequest,
} from '../../workers/classify-protocol';
import { fakeClient, flush } from '../testing/fake-transport';
import { createHotlineStore } from './hotline-store';

const NOISE = '环境保护/环境污染/噪音污染';

function suggestion(over: Partial<ClassifySuggestion> = {}): ClassifySuggestion {
  return {
    category: NOISE,
    leafId: 'noise',
    confidence: 0.82,
    topWords: [{ word: '噪音', weight: 1.2 }],
    alternatives: [],
    lowConfidence: false,
    ...over,
  };
}

const MATRIX: ResponsibilityMatrix = { version: 1, rows: [], doubleDispatchBelow: 0.45, changes: [] };

/** A worker that answers each request with `reply` (null: never answers). */
class FakeWorker implements ClassifyWorkerLike {
  onmessage: ((ev: { data: ClassifyResponse }) => void) | null = null;
  onerror: ((ev: { message?: string }) => void) | null = null;
  sent: ClassifyRequest[] = [];
  models: UseModelRequest[] = [];
  /** How `useModel` is answered (default: loaded, as a trained model when one is given). */
  modelReply: (req: UseModelRequest) => ClassifyResponse = (req) => ({
    type: 'modelLoaded',
    id: req.id,
    kind: req.model === null ? 'seed' : 'trained',
  });
  terminated = false;
  constructor(public reply: (req: ClassifyRequest) => ClassifyResponse | null) {}
  postMessage(message: ClassifyWorkerRequest): void {
    if (message.type === 'useModel') {
      this.models.push(message);
      const res = this.modelReply(message);
      queueMicrotask(() => this.onmessage?.({ data: res }));
      return;
    }
    this.sent.push(message);
    const res = this.reply(message);
    if (res) queueMicrotask(() => this.onmessage?.({ data: res }));
  }
  emit(res: ClassifyResponse): void {
    this.onmessage?.({ data: res });
  }
  terminate(): void {
    this.terminated = true;
  }
}

const local = (req: ClassifyRequest): ClassifyResponse => ({
  type: 'classified',
  id: req.id,
  suggestion: suggestion({ category: 'local/local/local' }),
  ms: 0.5,
});

const TRAINED_MODEL = { format: 'watchfloor-text-classifier', kind: 'trained' };

function setup(worker: FakeWorker | null, timeoutMs = 1_000) {
  const { transport, client } = fakeClient();
  transport.handle('hotline/classifierModel', () => ({ kind: 'seed', model: null }));
  transport.handle('hotline/classify', () => suggestion());
  transport.handle('hotline/matrix', () => MATRIX);
  transport.handle('hotline/route', () => ({ ok: false }));
  transport.handle('hotline/duplicates', () => []);
  const store = createHotlineStore(client, {
    classifyDelayMs: 0,
    classifyWorker: worker === null ? null : () => worker,
    classifyWorkerTimeoutMs: timeoutMs,
  });
  const type = async (text: string): Promise<void> => {
    store.getState().setText(text);
    await new Promise((r) => setTimeout(r, 1));
    await flush();
  };
  return { transport, store, type };
}

/** Starts the worker (first text, answered by the core), says ready, and loads the threshold. */
async function ready(worker: FakeWorker, s: ReturnType<typeof setup>): Promise<void> {
  await s.type('楼下很吵');
  expect(s.store.getState().suggestionSource).toBe('server');
  expect(s.store.getState().localClassifier).toBe('starting');
  worker.emit({ type: 'ready', ms: 1200 });
  expect(s.store.getState().localClassifier).toBe('ready');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('hotline store: local classifier with the core as fallback', () => {
  it('asks the core until the worker is ready and the threshold known, then the worker', async () => {
    const worker = new FakeWorker(local);
    const s = setup(worker);
    await ready(worker, s);
    // Ready, but the threshold is not loaded yet: the core answers and the matrix is fetched once.
    await s.type('楼下很吵2');
    expect(s.store.getState().suggestionSource).toBe('server');
    expect(s.transport.callsOf('hotline/matrix')).toHaveLength(1);
    await s.type('楼下广场舞很吵');
    expect(s.store.getState().suggestionSource).toBe('local');
    expect(s.store.getState().suggestion?.category).toBe('local/local/local');
    expect(worker.sent.at(-1)).toMatchObject({ text: '楼下广场舞很吵', doubleDispatchBelow: 0.45 });
    expect(s.transport.callsOf('hotline/classify')).toHaveLength(2);
    expect(s.transport.callsOf('hotline/matrix')).toHaveLength(1);
    s.store.getState().dispose();
    expect(worker.terminated).toBe(true);
  });

  it('falls back to the core for good when the worker fails', async () => {
    const worker = new FakeWorker((req) => ({
      type: 'error',
      id: req.id,
      kind: 'internal',
      message: 'boom',
    }));
    const s = setup(worker);
    await s.store.getState().loadMatrix();
    await ready(worker, s);
    await s.type('楼下广场舞很吵');
    expect(worker.sent).toHaveLength(1);
    expect(s.store.getState().suggestionSource).toBe('server');
    expect(s.store.getState().suggestion?.category).toBe(NOISE);
    expect(s.store.getState().localClassifier).toBe('failed');
    expect(worker.terminated).toBe(true);
    await s.type('楼下广场舞又很吵');
    expect(worker.sent).toHaveLength(1);
    expect(s.transport.callsOf('hotline/classify')).toHaveLength(3);
  });

  it('falls back to the core when the worker does not answer in time', async () => {
    const worker = new FakeWorker(() => null);
    const s = setup(worker, 20);
    await s.store.getState().loadMatrix();
    await ready(worker, s);
    await s.type('楼下广场舞很吵');
    await new Promise((r) => setTimeout(r, 40));
    await flush();
    expect(s.store.getState().suggestionSource).toBe('server');
    expect(s.store.getState().localClassifier).toBe('failed');
    expect(s.transport.callsOf('hotline/classify')).toEqual([
      { text: '楼下很吵' },
      { text: '楼下广场舞很吵' },
    ]);
  });

  it('lets the core word a refusal of the text, and keeps the worker', async () => {
    const worker = new FakeWorker((req) =>
      req.text.startsWith('the')
        ? { type: 'error', id: req.id, kind: 'input', message: 'not Chinese' }
        : local(req),
    );
    const s = setup(worker);
    await s.store.getState().loadMatrix();
    await ready(worker, s);
    await s.type('the light is out');
    expect(s.store.getState().suggestionSource).toBe('server');
    expect(s.store.getState().localClassifier).toBe('ready');
    await s.type('路灯不亮了');
    expect(s.store.getState().suggestionSource).toBe('local');
  });

  it('falls back when the worker cannot build the classifier, or there is no Worker', async () => {
    const worker = new FakeWorker(local);
    const s = setup(worker);
    await s.type('楼下很吵');
    worker.emit({ type: 'failed', message: 'out of memory' });
    expect(s.store.getState().localClassifier).toBe('failed');
    await s.type('楼下广场舞很吵');
    expect(s.store.getState().suggestionSource).toBe('server');
    expect(worker.sent).toHaveLength(0);

    const none = setup(null);
    await none.type('楼下很吵');
    expect(none.store.getState().localClassifier).toBe('unsupported');
    expect(none.store.getState().suggestionSource).toBe('server');
  });
});

describe("hotline store: the worker follows the hub's trained classifier", () => {
  it('sends the trained model to the worker before it answers, and keeps the seed without a message', async () => {
    const worker = new FakeWorker(local);
    const s = setup(worker);
    s.transport.handle('hotline/classifierModel', () => ({ kind: 'trained', model: TRAINED_MODEL }));
    await s.store.getState().loadMatrix();
    await ready(worker, s);
    expect(worker.models).toEqual([{ type: 'useModel', id: expect.any(Number), model: TRAINED_MODEL }]);
    expect(s.store.getState().localModel).toBe('trained');
    await s.type('路灯不亮了');
    expect(s.store.getState().suggestionSource).toBe('local');

    const seedWorker = new FakeWorker(local);
    const seed = setup(seedWorker);
    await seed.store.getState().loadMatrix();
    await ready(seedWorker, seed);
    await seed.type('路灯不亮了');
    expect(seed.store.getState().suggestionSource).toBe('local');
    expect(seed.store.getState().localModel).toBe('seed');
    expect(seedWorker.models).toEqual([]);
  });

  it('asks the core while the worker loads a newly trained model, then the worker again', async () => {
    const worker = new FakeWorker(local);
    const s = setup(worker);
    await s.store.getState().loadMatrix();
    await ready(worker, s);
    await s.type('路灯不亮了');
    expect(s.store.getState().suggestionSource).toBe('local');
    // The hub trains a model: the push makes the store fetch it and hand it to the worker.
    let answerModel: (() => void) | null = null;
    worker.modelReply = (req) => ({ type: 'modelLoaded', id: req.id, kind: 'trained' });
    s.transport.handle(
      'hotline/classifierModel',
      () =>
        new Promise((resolve) => {
          answerModel = () => resolve({ kind: 'trained', model: TRAINED_MODEL });
        }),
    );
    s.transport.emit('hotline/classifierChanged', { kind: 'trained', trainedAt: '2026-03-02T02:00:00.000Z' });
    await flush();
    expect(s.store.getState().localModel).toBeNull();
    await s.type('路灯又不亮了');
    expect(s.store.getState().suggestionSource).toBe('server');
    answerModel!();
    await flush();
    await flush();
    expect(worker.models.at(-1)).toMatchObject({ model: TRAINED_MODEL });
    expect(s.store.getState().localModel).toBe('trained');
    await s.type('路灯还是不亮');
    expect(s.store.getState().suggestionSource).toBe('local');
  });

  it("stops the worker when it cannot load the hub's model, so the core answers", async () => {
    const worker = new FakeWorker(local);
    worker.modelReply = (req) => ({ type: 'modelFailed', id: req.id, message: 'not a Watchfloor model' });
    const s = setup(worker);
    s.transport.handle('hotline/classifierModel', () => ({ kind: 'trained', model: { bad: true } }));
    await s.store.getState().loadMatrix();
    await s.type('楼下很吵');
    await flush();
    expect(s.store.getState().localClassifier).toBe('failed');
    await s.type('路灯不亮了');
    expect(s.store.getState().suggestionSource).toBe('server');
    expect(worker.sent).toHaveLength(0);
  });
});

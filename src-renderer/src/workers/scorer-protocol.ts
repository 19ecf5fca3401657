import type { ModelManifest } from '@shared/contract/model-manifest';

/**
 * Messages between the console's scoring store and its Web Worker. Big payloads travel as the
 * base64 text the RPC delivered and are decoded (and the results encoded) in the worker, so the UI
 * thread never loops over them.
 */
export type ScorerRequest =
  | {
      type: 'load';
      id: number;
      manifest: ModelManifest;
      /** ONNX bytes, base64 (as `predict/model` returns them). */ model: string;
    }
  | {
      type: 'score';
      id: number;
      modelId: string;
      modelVersion: string;
      count: number;
      /** Raw windows `[count][steps][features]`, float32 little-endian, base64 (as the job carries them). */
      windows: string;
    }
  | { type: 'unload'; id: number; modelId: string };

export type ScorerResponse =
  | { type: 'loaded'; id: number; modelId: string; modelVersion: string; ms: number }
  | {
      type: 'scored';
      id: number;
      /** Float32 base64 by output name, ready for `predict/submitScores`. */
      outputs: Record<string, string>;
      refused: number;
      /** Milliseconds decoding, scoring and encoding in the worker. */
      ms: number;
    }
  | { type: 'unloaded'; id: number }
  | { type: 'error'; id: number; message: string };

import type { PredictStatus } from '@shared/contract';
import type { AppError } from '../../stores/errors';

export type BadgeTone = 'ok' | 'busy' | 'warn' | 'bad';

export interface BadgeSummary {
  tone: BadgeTone;
  /** Key under `predict.badge`. */
  label: 'ready' | 'loading' | 'problem' | 'none' | 'unavailable';
  /** Models missing or invalid. */
  problems: number;
  /** Kinds on rules only, for the tooltip. */
  rulesOnly: string[];
  /** The error texts of missing or invalid models, for the tooltip. */
  errors: string[];
}

/**
 * The header badge in one word: every model ready (green), one loading (blue), any missing or
 * invalid (red, with the count), no model at all (amber: everything runs on rules), or the
 * service does not answer (red).
 */
export function summarizeStatus(status: PredictStatus | null, error: AppError | null): BadgeSummary | null {
  if (!status) {
    return error
      ? { tone: 'bad', label: 'unavailable', problems: 0, rulesOnly: [], errors: [error.message] }
      : null;
  }
  const broken = status.models.filter((m) => m.state === 'missing' || m.state === 'invalid');
  const errors = broken.map((m) => `${m.id}: ${m.error ?? m.state}`);
  const base = { problems: broken.length, rulesOnly: status.rulesOnlyKinds, errors };
  if (broken.length > 0) return { tone: 'bad', label: 'problem', ...base };
  if (status.models.some((m) => m.state === 'loading')) return { tone: 'busy', label: 'loading', ...base };
  if (status.models.length === 0) return { tone: 'warn', label: 'none', ...base };
  return { tone: status.rulesOnlyKinds.length > 0 ? 'warn' : 'ok', label: 'ready', ...base };
}

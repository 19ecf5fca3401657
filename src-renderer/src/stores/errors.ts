import {
  ErrorCode,
  isRpcError,
  type InvalidArgumentDetails,
  type TransitionNotAllowedDetails,
} from '@shared/contract';

/** An error as the UI shows it: the contract's code (for branching and display) and the message. */
export interface AppError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export function toAppError(err: unknown): AppError {
  if (isRpcError(err)) return { code: err.code, message: err.message, details: err.details };
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const e = err as { code: unknown; message: unknown; details?: unknown };
    if (typeof e.code === 'string' && (Object.values(ErrorCode) as string[]).includes(e.code)) {
      return { code: e.code as ErrorCode, message: String(e.message), details: e.details };
    }
  }
  return { code: ErrorCode.Internal, message: err instanceof Error ? err.message : String(err) };
}

/**
 * Field paths of an INVALID_ARGUMENT error, keyed without the `patch.` prefix of update calls, so a
 * form can show each message next to its field (`title`, `fields.faultCode`, `location.lat`, …).
 */
export function fieldIssues(error: AppError | null | undefined): Record<string, string> {
  if (!error || error.code !== ErrorCode.InvalidArgument) return {};
  const details = error.details as Partial<InvalidArgumentDetails> | undefined;
  const out: Record<string, string> = {};
  for (const issue of details?.issues ?? []) {
    if (!issue || typeof issue.path !== 'string') continue;
    const path = issue.path.replace(/^patch\./, '');
    out[path] = out[path] ? `${out[path]}; ${issue.message}` : String(issue.message);
  }
  return out;
}

/** The message for one field, also matching issues on its sub-paths (`location` ← `location.lat`). */
export function issueFor(issues: Record<string, string>, path: string): string | undefined {
  if (issues[path]) return issues[path];
  const nested = Object.entries(issues).filter(([p]) => p.startsWith(`${path}.`));
  return nested.length ? nested.map(([p, m]) => `${p.slice(path.length + 1)}: ${m}`).join('; ') : undefined;
}

/** The statuses a TRANSITION_NOT_ALLOWED error says are allowed. */
export function allowedFromError(error: AppError | null | undefined): string[] {
  if (!error || error.code !== ErrorCode.TransitionNotAllowed) return [];
  const details = error.details as Partial<TransitionNotAllowedDetails> | undefined;
  return Array.isArray(details?.allowed)
    ? details.allowed.filter((s): s is string => typeof s === 'string')
    : [];
}

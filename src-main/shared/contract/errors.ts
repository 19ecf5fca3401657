/**
 * Error codes every transport carries unchanged. Clients branch on `code`, never on `message`
 * (messages are for people and may be translated or reworded).
 */
export const ErrorCode = {
  InvalidArgument: 'INVALID_ARGUMENT',
  InvalidMessage: 'INVALID_MESSAGE',
  MethodNotFound: 'METHOD_NOT_FOUND',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  TransitionNotAllowed: 'TRANSITION_NOT_ALLOWED',
  PermissionDenied: 'PERMISSION_DENIED',
  Unauthenticated: 'UNAUTHENTICATED',
  RateLimited: 'RATE_LIMITED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Unavailable: 'UNAVAILABLE',
  DataCorrupted: 'DATA_CORRUPTED',
  Disconnected: 'DISCONNECTED',
  Timeout: 'TIMEOUT',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

export interface RpcErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Thrown by the core and re-thrown by every client transport, so callers see one error type. */
export class RpcError extends Error implements RpcErrorShape {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toJSON(): RpcErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static from(shape: RpcErrorShape): RpcError {
    return new RpcError(shape.code, shape.message, shape.details);
  }
}

export function isRpcError(value: unknown): value is RpcError {
  return value instanceof RpcError;
}

/** Details of INVALID_ARGUMENT: one entry per failing field, `path` like `patch.location.lat`. */
export interface InvalidArgumentDetails {
  issues: { path: string; message: string }[];
}

/** Details of CONFLICT on a stale write. */
export interface ConflictDetails {
  id: string;
  expectedVersion: number;
  actualVersion: number;
}

/** Details of TRANSITION_NOT_ALLOWED: the statuses the workflow allows from the current one. */
export interface TransitionNotAllowedDetails {
  from: string;
  to: string;
  allowed: string[];
}

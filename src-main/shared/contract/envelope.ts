import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';

/** Wire messages of every transport. Ids are chosen by the client and echoed back. */
export const RequestId = z.union([
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  z.string().min(1).max(64),
]);
export type RequestId = z.infer<typeof RequestId>;

export const RpcRequest = z.strictObject({
  id: RequestId,
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export type RpcRequest = z.infer<typeof RpcRequest>;

export const RpcErrorBody = z.object({
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  details: z.unknown().optional(),
});

export const RpcResponse = z.union([
  z.object({ id: RequestId.nullable(), result: z.unknown() }),
  z.object({ id: RequestId.nullable(), error: RpcErrorBody }),
]);
export type RpcResponse =
  { id: RequestId | null; result: unknown } | { id: RequestId | null; error: z.infer<typeof RpcErrorBody> };

export const RpcPush = z.object({ event: z.string(), payload: z.unknown() });
export type RpcPush = z.infer<typeof RpcPush>;

/**
 * Close code of a WebSocket whose token was missing or wrong. Browsers cannot see the HTTP status
 * of a refused upgrade, so the hub accepts it, sends UNAUTHENTICATED and closes with this code.
 */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

/** Limits applied by every host to untrusted traffic. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** Fixed Electron IPC channel names: the preload exposes nothing else. */
export const IPC_INVOKE_CHANNEL = 'watchfloor:invoke';
export const IPC_EVENT_CHANNEL = 'watchfloor:event';

import {
  ErrorCode,
  RpcError,
  coreMethods,
  isMethodName,
  type MethodInput,
  type MethodName,
  type MethodResult,
} from '@shared/contract';
import { JournalCorruptError, JournalFailedError } from '../store/journal';
import type { Logger } from '../ports';
import type { CommandContext } from '../tickets/ticket-service';

export type Handlers = {
  [M in MethodName]: (input: MethodInput<M>, ctx: CommandContext) => Promise<MethodResult<M>>;
};

function describePath(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(params)';
}

interface ZodIssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  issues?: readonly ZodIssueLike[];
}

/**
 * One entry per failing field. zod reports a bad record key or map element as a generic outer
 * issue ("Invalid key in record") and keeps the schema's own message in nested issues; use those.
 */
export function fieldIssues(
  issues: readonly ZodIssueLike[],
  prefix: readonly PropertyKey[] = [],
): { path: string; message: string }[] {
  return issues.flatMap((i) => {
    const path = [...prefix, ...i.path];
    if ((i.code === 'invalid_key' || i.code === 'invalid_element') && i.issues?.length)
      return fieldIssues(i.issues, path);
    return [{ path: describePath(path), message: i.message }];
  });
}

/** Maps anything a handler throws onto the contract's error codes; unknown errors are logged, not leaked. */
export function toRpcError(err: unknown, logger: Logger, method: string): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof JournalCorruptError) {
    // Clients get the offset, not the server's file paths; the log has everything.
    logger.error('journal damage found while serving a call', {
      method,
      file: err.file,
      offset: err.offset,
      reason: err.reason,
    });
    return new RpcError(
      ErrorCode.DataCorrupted,
      `stored data is damaged at journal offset ${err.offset}; an administrator should run \`watchfloor store verify\``,
      { offset: err.offset },
    );
  }
  if (err instanceof JournalFailedError) return new RpcError(ErrorCode.Unavailable, err.message);
  const incident = `inc-${Date.now().toString(36)}`;
  logger.error('unexpected error in handler', {
    method,
    incident,
    error: err instanceof Error ? err.stack : String(err),
  });
  return new RpcError(ErrorCode.Internal, `internal error (${incident}); the details are in the server log`, {
    incident,
  });
}

/** Validates params against the contract and runs the handler. Every failure is an RpcError. */
export async function dispatch(
  handlers: Handlers,
  method: string,
  params: unknown,
  ctx: CommandContext,
  logger: Logger,
): Promise<unknown> {
  if (!isMethodName(method)) {
    throw new RpcError(ErrorCode.MethodNotFound, `unknown method "${method}"`, { method });
  }
  const parsed = coreMethods[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error.issues);
    throw new RpcError(
      ErrorCode.InvalidArgument,
      `invalid params for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  const handler = handlers[method] as (input: unknown, ctx: CommandContext) => Promise<unknown>;
  try {
    return await handler(parsed.data, ctx);
  } catch (err) {
    throw toRpcError(err, logger, method);
  }
}

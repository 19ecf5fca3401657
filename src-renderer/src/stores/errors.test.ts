import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '@shared/contract';
import { allowedFromError, fieldIssues, issueFor, toAppError } from './errors';

describe('errors', () => {
  it('keeps the code of contract errors and wraps anything else as INTERNAL', () => {
    expect(toAppError(new RpcError(ErrorCode.Conflict, 'stale', { id: 'x' }))).toEqual({
      code: 'CONFLICT',
      message: 'stale',
      details: { id: 'x' },
    });
    expect(toAppError(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toAppError({ code: 'NOT_FOUND', message: 'nope' }).code).toBe('NOT_FOUND');
  });

  it('maps INVALID_ARGUMENT issues to field paths without the patch prefix', () => {
    const err = toAppError(
      new RpcError(ErrorCode.InvalidArgument, 'bad', {
        issues: [
          { path: 'patch.title', message: 'too short' },
          { path: 'location.lat', message: 'out of range' },
          { path: 'patch.fields.downtimeMinutes', message: 'must be ≥ 0' },
        ],
      }),
    );
    const issues = fieldIssues(err);
    expect(issues).toEqual({
      title: 'too short',
      'location.lat': 'out of range',
      'fields.downtimeMinutes': 'must be ≥ 0',
    });
    expect(issueFor(issues, 'location')).toBe('lat: out of range');
    expect(issueFor(issues, 'description')).toBeUndefined();
    expect(fieldIssues(toAppError(new RpcError(ErrorCode.Conflict, 'x')))).toEqual({});
  });

  it('reads the allowed statuses of TRANSITION_NOT_ALLOWED', () => {
    const err = toAppError(
      new RpcError(ErrorCode.TransitionNotAllowed, 'no', {
        from: 'new',
        to: 'closed',
        allowed: ['assigned', 'cancelled'],
      }),
    );
    expect(allowedFromError(err)).toEqual(['assigned', 'cancelled']);
    expect(allowedFromError(null)).toEqual([]);
  });
});

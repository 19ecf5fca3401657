import { describe, expect, it } from 'vitest';
import { triageActionFor, type TriageKey } from './triage-keys';

const key = (over: Partial<TriageKey>): TriageKey => ({
  key: '',
  code: '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  inField: false,
  ...over,
});

describe('triage keys', () => {
  it('dispatches with Ctrl+Enter or ⌘+Enter, even while typing', () => {
    expect(triageActionFor(key({ key: 'Enter', ctrlKey: true, inField: true }), false)).toEqual({
      kind: 'dispatch',
    });
    expect(triageActionFor(key({ key: 'Enter', metaKey: true }), false)).toEqual({ kind: 'dispatch' });
    expect(triageActionFor(key({ key: 'Enter', inField: true }), false)).toBeNull();
    expect(triageActionFor(key({ key: 'Enter', ctrlKey: true }), true)).toBeNull();
  });

  it('reads Alt shortcuts by physical key', () => {
    expect(triageActionFor(key({ key: '¡', code: 'Digit1', altKey: true }), false)).toEqual({
      kind: 'alternative',
      index: 0,
    });
    expect(triageActionFor(key({ code: 'Digit0', altKey: true }), false)).toEqual({
      kind: 'restoreCategory',
    });
    expect(triageActionFor(key({ code: 'KeyN', altKey: true, inField: true }), false)).toEqual({
      kind: 'newCall',
    });
    expect(triageActionFor(key({ code: 'KeyL', altKey: true }), false)).toEqual({ kind: 'linkDuplicate' });
    expect(triageActionFor(key({ code: 'Digit4', altKey: true }), false)).toBeNull();
  });

  it('moves through the queue with ↑↓ outside text fields, or with Alt inside them', () => {
    expect(triageActionFor(key({ key: 'ArrowDown' }), false)).toEqual({ kind: 'pick', step: 1 });
    expect(triageActionFor(key({ key: 'ArrowUp', inField: true }), false)).toBeNull();
    expect(triageActionFor(key({ key: 'ArrowUp', altKey: true, inField: true }), false)).toEqual({
      kind: 'pick',
      step: -1,
    });
  });
});

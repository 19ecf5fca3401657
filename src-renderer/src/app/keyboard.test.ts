import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor } from './keyboard';

const body = { tagName: 'BODY' };
const none = { modalOpen: false };

describe('keyboard shortcuts', () => {
  it('maps keys to board actions', () => {
    expect(shortcutFor({ key: 'j', target: body }, none)).toBe('next');
    expect(shortcutFor({ key: 'ArrowDown', target: body }, none)).toBe('next');
    expect(shortcutFor({ key: 'k', target: body }, none)).toBe('prev');
    expect(shortcutFor({ key: 'ArrowUp', target: body }, none)).toBe('prev');
    expect(shortcutFor({ key: 'ArrowLeft', target: body }, none)).toBe('left');
    expect(shortcutFor({ key: 'l', target: body }, none)).toBe('right');
    expect(shortcutFor({ key: 'Enter', target: body }, none)).toBe('open');
    expect(shortcutFor({ key: 'Escape', target: body }, none)).toBe('close');
    expect(shortcutFor({ key: '/', target: body }, none)).toBe('search');
    expect(shortcutFor({ key: 'n', target: body }, none)).toBe('new');
    expect(shortcutFor({ key: 'v', target: body }, none)).toBe('toggleMode');
    expect(shortcutFor({ key: '?', target: body }, none)).toBe('help');
    expect(shortcutFor({ key: 'x', target: body }, none)).toBeNull();
  });

  it('never fires while typing, except Escape', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT', type: 'search' },
      { tagName: 'INPUT' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      expect(isTypingTarget(target)).toBe(true);
      for (const key of ['j', 'k', 'n', 'v', '/', '?', 'Enter', 'ArrowDown'])
        expect(shortcutFor({ key, target }, none)).toBeNull();
      expect(shortcutFor({ key: 'Escape', target }, none)).toBe('close');
    }
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(shortcutFor({ key: 'j', target: { tagName: 'INPUT', type: 'checkbox' } }, none)).toBe('next');
  });

  it('leaves modifier chords, capitals and Enter on buttons alone', () => {
    expect(shortcutFor({ key: 'n', ctrlKey: true, target: body }, none)).toBeNull();
    expect(shortcutFor({ key: 'v', metaKey: true, target: body }, none)).toBeNull();
    expect(shortcutFor({ key: 'J', target: body }, none)).toBeNull();
    expect(shortcutFor({ key: 'Enter', target: { tagName: 'BUTTON' } }, none)).toBeNull();
    expect(shortcutFor({ key: 'j', target: { tagName: 'BUTTON' } }, none)).toBe('next');
  });

  it('only closes while a modal is open', () => {
    const modal = { modalOpen: true };
    expect(shortcutFor({ key: 'j', target: body }, modal)).toBeNull();
    expect(shortcutFor({ key: 'n', target: body }, modal)).toBeNull();
    expect(shortcutFor({ key: 'Escape', target: body }, modal)).toBe('close');
  });
});

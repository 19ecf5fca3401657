/**
 * The triage view's keys (an agent has seconds per call, so everything is one keystroke):
 * Ctrl/⌘+Enter dispatches, Alt+N starts a new call, Alt+1–3 takes an alternative category, Alt+0
 * goes back to the suggestion, Alt+L links (or unlinks) the first possible duplicate, and ↑↓ pick a
 * waiting call — outside text fields, or with Alt anywhere.
 */
export type TriageAction =
  | { kind: 'dispatch' }
  | { kind: 'newCall' }
  | { kind: 'alternative'; index: number }
  | { kind: 'restoreCategory' }
  | { kind: 'linkDuplicate' }
  | { kind: 'pick'; step: 1 | -1 };

export interface TriageKey {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** The focused element is a text field (input, textarea, select, contenteditable). */
  inField: boolean;
}

export function triageActionFor(e: TriageKey, modalOpen: boolean): TriageAction | null {
  if (modalOpen) return null;
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key === 'Enter') return { kind: 'dispatch' };
  if (e.ctrlKey || e.metaKey) return null;
  if (e.altKey && !e.shiftKey) {
    // By code: Alt+digit types other characters on some layouts (macOS).
    if (e.code === 'KeyN') return { kind: 'newCall' };
    if (e.code === 'KeyL') return { kind: 'linkDuplicate' };
    if (e.code === 'Digit0') return { kind: 'restoreCategory' };
    const digit = /^Digit([1-3])$/.exec(e.code);
    if (digit) return { kind: 'alternative', index: Number(digit[1]) - 1 };
  }
  if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && !e.shiftKey && (e.altKey || !e.inField))
    return { kind: 'pick', step: e.key === 'ArrowUp' ? -1 : 1 };
  return null;
}

export function isTextField(el: Element | null): boolean {
  if (!el || !(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(type);
}

/** Board shortcuts as pure logic, so the rules are testable without a DOM. */

export type ShortcutAction =
  'next' | 'prev' | 'left' | 'right' | 'open' | 'close' | 'search' | 'new' | 'toggleMode' | 'help';

export interface KeyTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: KeyTarget | null;
}

export interface ShortcutContext {
  /** A modal (dialog, help overlay) is open: only Escape acts. */
  modalOpen: boolean;
}

const NON_TEXT_INPUTS = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
  'image',
]);

/** True while the user types: text inputs, text areas, selects and editable content. */
export function isTypingTarget(target: KeyTarget | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return false;
}

/** Elements where Enter already means something (press the button, follow the link). */
function enterIsTaken(target: KeyTarget | null | undefined): boolean {
  const tag = (target?.tagName ?? '').toUpperCase();
  return (
    tag === 'BUTTON' ||
    tag === 'A' ||
    tag === 'INPUT' ||
    tag === 'SUMMARY' ||
    tag === 'SELECT' ||
    tag === 'TEXTAREA'
  );
}

const KEYS: Record<string, ShortcutAction> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'prev',
  ArrowUp: 'prev',
  h: 'left',
  ArrowLeft: 'left',
  l: 'right',
  ArrowRight: 'right',
  Enter: 'open',
  Escape: 'close',
  '/': 'search',
  n: 'new',
  v: 'toggleMode',
  '?': 'help',
};

/** The action of a key press, or null when the board should leave the key alone. */
export function shortcutFor(input: KeyInput, context: ShortcutContext): ShortcutAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  const action = KEYS[input.key] ?? KEYS[input.key.toLowerCase()] ?? null;
  if (!action) return null;
  // Escape always closes (also from inside a field); nothing else fires while typing.
  if (action === 'close') return action;
  if (isTypingTarget(input.target)) return null;
  if (context.modalOpen) return null;
  if (action === 'open' && enterIsTaken(input.target)) return null;
  // Upper-case letters are not ours (Shift+J etc.), except `?` which needs Shift.
  if (/^[A-Z]$/.test(input.key)) return null;
  return action;
}

/** What the help overlay lists, in order. `labelKey` is an i18n key under `shortcuts.`. */
export const SHORTCUT_HELP: readonly { keys: string[]; labelKey: ShortcutAction }[] = [
  { keys: ['j', '↓'], labelKey: 'next' },
  { keys: ['k', '↑'], labelKey: 'prev' },
  { keys: ['h', '←', 'l', '→'], labelKey: 'left' },
  { keys: ['Enter'], labelKey: 'open' },
  { keys: ['Esc'], labelKey: 'close' },
  { keys: ['/'], labelKey: 'search' },
  { keys: ['n'], labelKey: 'new' },
  { keys: ['v'], labelKey: 'toggleMode' },
  { keys: ['?'], labelKey: 'help' },
];

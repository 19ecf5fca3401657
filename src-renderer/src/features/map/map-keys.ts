import { isTypingTarget, type KeyInput } from '../../app/keyboard';

export type MapKeyAction = 'zoomIn' | 'zoomOut' | 'fit';

const KEYS: Record<string, MapKeyAction> = {
  '+': 'zoomIn',
  '=': 'zoomIn',
  '-': 'zoomOut',
  _: 'zoomOut',
  f: 'fit',
};

/**
 * The map page's keys: `+`/`-` zoom (also `=` and the keypad's, which report `+`/`-`), `f` fits
 * the fleet. Nothing fires while the operator types, with a modifier held, or under a modal.
 */
export function mapKeyFor(input: KeyInput, context: { modalOpen: boolean }): MapKeyAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  if (context.modalOpen || isTypingTarget(input.target)) return null;
  return KEYS[input.key] ?? null;
}

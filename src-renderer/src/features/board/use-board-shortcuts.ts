import { useEffect } from 'react';
import { shortcutFor, type ShortcutAction } from '../../app/keyboard';
import { useStores } from '../../app/stores-context';
import { closeTopModal, isModalOpen } from '../../components/modal-stack';
import { boardSelectors } from '../../stores/board/board-store';
import { moveSelectionWithDrawer } from './follow-selection';
import { SEARCH_INPUT_ID } from './Toolbar';

/**
 * The board's global keys (see app/keyboard.ts for the rules, and the help overlay). Off the board
 * (heatmap, map, devices) only help and Escape-closes-a-dialog remain: j/k or `n` there would move
 * an invisible selection or open the board's dialog behind the operator's back.
 */
export function useBoardShortcuts(openHelp: () => void, onBoard = true): void {
  const { board, detail, create } = useStores();
  useEffect(() => {
    const moveSelection = (move: () => void) => moveSelectionWithDrawer(board, detail, move);
    // Moving the selection moves the keyboard's attention to the board: a toolbar button that
    // still has focus would otherwise take the next Enter instead of opening the selected ticket.
    const leaveControl = (target: EventTarget | null): void => {
      if (target instanceof HTMLElement && target.matches('button, a, summary')) target.blur();
    };
    const run = (action: ShortcutAction, target: EventTarget | null): boolean => {
      if (!onBoard && action !== 'help' && action !== 'close') return false;
      const b = board.getState();
      switch (action) {
        case 'next':
        case 'prev':
          leaveControl(target);
          moveSelection(() => b.moveSelection(action === 'next' ? 1 : -1));
          return true;
        case 'left':
        case 'right':
          if (b.mode !== 'kanban') return false;
          leaveControl(target);
          moveSelection(() => b.moveColumn(action === 'right' ? 1 : -1));
          return true;
        case 'open': {
          const t = boardSelectors.selectedTicket(b);
          if (!t) return false;
          detail.getState().requestOpen(t.id);
          return true;
        }
        case 'close':
          if (closeTopModal()) return true;
          if (target instanceof HTMLElement && target.matches('input, textarea, select')) {
            target.blur();
            return true;
          }
          if (onBoard && detail.getState().openId) {
            // Unsaved edits ask first (the confirm dialog); Escape there means keep editing.
            detail.getState().requestClose();
            return true;
          }
          return false;
        case 'search': {
          const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
          input?.focus();
          input?.select();
          return !!input;
        }
        case 'new':
          create.getState().show();
          return true;
        case 'toggleMode':
          b.toggleMode();
          return true;
        case 'help':
          openHelp();
          return true;
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target as HTMLElement | null;
      const action = shortcutFor(
        {
          key: e.key,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          altKey: e.altKey,
          target: target
            ? {
                tagName: target.tagName,
                type: (target as HTMLInputElement).type,
                isContentEditable: target.isContentEditable,
              }
            : null,
        },
        { modalOpen: isModalOpen() },
      );
      if (action && run(action, e.target)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [board, detail, create, openHelp, onBoard]);
}

import { boardSelectors, type BoardStore } from '../../stores/board/board-store';
import type { DetailStore } from '../../stores/detail/detail-store';

/**
 * Moves the keyboard selection (`move`: j/k, h/l); with the drawer open, the drawer follows it.
 * When following would replace a ticket whose edit form has unsaved changes, the selection stays
 * where it was until the operator chooses in the confirm dialog: keep editing (nothing moves) or
 * discard (the selection moves and the drawer follows).
 */
export function moveSelectionWithDrawer(board: BoardStore, detail: DetailStore, move: () => void): void {
  const before = board.getState().selection;
  move();
  const d = detail.getState();
  if (!d.openId) return;
  const target = boardSelectors.selectedTicket(board.getState());
  if (!target || target.id === d.openId) return;
  const after = board.getState().selection;
  const opened = d.requestOpen(target.id, () => board.setState({ selection: after }));
  if (!opened) board.setState({ selection: before });
}

/**
 * Open modals in opening order. Escape closes the top one; board shortcuts stay quiet while any is
 * open. Kept outside React state because the global key handler reads it synchronously.
 */
const stack: { id: number; close: () => void }[] = [];
let nextId = 1;

export function pushModal(close: () => void): () => void {
  const id = nextId++;
  stack.push({ id, close });
  return () => {
    const i = stack.findIndex((m) => m.id === id);
    if (i >= 0) stack.splice(i, 1);
  };
}

export function isModalOpen(): boolean {
  return stack.length > 0;
}

/** Closes the top modal; false when none was open. */
export function closeTopModal(): boolean {
  const top = stack[stack.length - 1];
  if (!top) return false;
  top.close();
  return true;
}

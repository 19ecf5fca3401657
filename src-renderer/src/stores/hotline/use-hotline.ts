import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { HotlineState } from './hotline-store';

/** Selector hook over the hotline store (the app's stores-context pattern, kept beside the store). */
export const useHotline = <T>(selector: (s: HotlineState) => T): T => useStore(useStores().hotline, selector);

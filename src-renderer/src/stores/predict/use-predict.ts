import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { PredictState } from './predict-store';

/** Selector hook over the prediction store (the app's stores-context pattern, kept beside the store). */
export const usePredict = <T>(selector: (s: PredictState) => T): T => useStore(useStores().predict, selector);

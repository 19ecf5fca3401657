import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { predictZh } from '../../app/i18n/predict';

type Reason = keyof typeof predictZh.reason;
const KNOWN = new Set<string>(Object.keys(predictZh.reason));

export function isKnownReason(code: string): code is Reason {
  return KNOWN.has(code);
}

/**
 * The dispatch strategy's machine-readable reasons in words; a code the UI does not know yet is
 * shown as it is rather than hidden, so the operator still sees everything the core said.
 */
export function useReasonText(): (code: string) => string {
  const { t } = useTranslation();
  return useCallback((code: string) => (isKnownReason(code) ? t(`predict.reason.${code}`) : code), [t]);
}

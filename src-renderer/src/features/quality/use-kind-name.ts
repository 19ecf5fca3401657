import { useMemo } from 'react';
import { useLocalize } from '../../app/i18n';
import { useConfig } from '../../app/stores-context';

/** A device kind's name in the UI language (the id when the configuration does not know it). */
export function useKindName(): (id: string) => string {
  const loc = useLocalize();
  const kinds = useConfig((s) => s.config?.deviceKinds);
  return useMemo(() => {
    const names = new Map((kinds ?? []).map((k) => [k.id, loc(k.name)]));
    return (id: string) => names.get(id) ?? id;
  }, [kinds, loc]);
}

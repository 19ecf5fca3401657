import { useCallback } from 'react';
import { useLocalize } from '../../app/i18n';
import { useConfig } from '../../app/stores-context';

/** A department's name from the configuration's directory (its id when the directory lacks it). */
export function useDepartmentName(): (id: string) => string {
  const loc = useLocalize();
  const departments = useConfig((s) => s.config?.directory.departments);
  return useCallback(
    (id: string) => {
      const d = departments?.find((x) => x.id === id);
      return d ? loc(d.name) : id;
    },
    [departments, loc],
  );
}

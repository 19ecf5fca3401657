import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assignee, StatusCategory, TicketType } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useConfig } from '../../app/stores-context';
import { configSelectors } from '../../stores/config/config-store';

export interface TicketLabels {
  type(typeId: string): TicketType | undefined;
  status(typeId: string, statusId: string): { label: string; category: StatusCategory | undefined };
  assignee(assignee: Assignee | null): string;
  businessKey(key: string): string;
  timezone: string;
}

/** Display labels of ticket parts in the current language, from the configuration document. */
export function useTicketLabels(): TicketLabels {
  const { t, i18n } = useTranslation();
  const loc = useLocalize();
  const config = useConfig((s) => s.config);
  const type = useCallback((typeId: string) => configSelectors.type(config, typeId), [config]);
  const status = useCallback(
    (typeId: string, statusId: string) => {
      const s = configSelectors.state(config, typeId, statusId);
      if (s) return { label: loc(s.label), category: s.category };
      const any = configSelectors.anyStateLabel(config, statusId);
      return { label: any ? loc(any) : statusId, category: undefined };
    },
    [config, loc],
  );
  const assignee = useCallback(
    (a: Assignee | null) => (a ? loc(configSelectors.assigneeName(config, a)) : t('assignee.unassigned')),
    [config, loc, t],
  );
  const businessKey = useCallback(
    (key: string) => (i18n.exists(`bizKey.${key}`) ? t(`bizKey.${key}` as 'bizKey.deviceSn') : key),
    [t, i18n],
  );
  const timezone = configSelectors.timezone(config);
  // One stable object per language/config, so memoized rows do not re-render for nothing.
  return useMemo(
    () => ({ type, status, assignee, businessKey, timezone }),
    [type, status, assignee, businessKey, timezone],
  );
}

import { useTranslation } from 'react-i18next';
import type { Assignee, ConfigDocument } from '@shared/contract';
import { useLocalize } from '../app/i18n';

interface AssigneePickerProps {
  config: ConfigDocument;
  value: Assignee | null;
  onChange: (value: Assignee | null) => void;
  testId: string;
  /** Offer "nobody" (unassign). */
  allowNone?: boolean;
  id?: string;
}

const encode = (a: Assignee | null): string => (a ? `${a.kind}:${a.id}` : '');
function decode(v: string): Assignee | null {
  const i = v.indexOf(':');
  if (i < 0) return null;
  const kind = v.slice(0, i);
  if (kind !== 'user' && kind !== 'team' && kind !== 'department') return null;
  return { kind, id: v.slice(i + 1) };
}

/** Users, teams and departments of the directory, grouped; users show their team. */
export function AssigneePicker({
  config,
  value,
  onChange,
  testId,
  allowNone = true,
  id,
}: AssigneePickerProps) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const dir = config.directory;
  const teamName = (teamId: string) => loc(dir.teams.find((x) => x.id === teamId)?.name);
  return (
    <select
      id={id}
      className="input"
      data-testid={testId}
      value={encode(value)}
      onChange={(e) => onChange(decode(e.target.value))}
    >
      {allowNone && <option value="">{t('assignee.none')}</option>}
      {!allowNone && !value && (
        <option value="" disabled>
          {t('assignee.choose')}
        </option>
      )}
      <optgroup label={t('assignee.users')}>
        {dir.users.map((u) => (
          <option key={u.id} value={`user:${u.id}`}>
            {u.name} · {teamName(u.teamId)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('assignee.teams')}>
        {dir.teams.map((x) => (
          <option key={x.id} value={`team:${x.id}`}>
            {loc(x.name)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('assignee.departments')}>
        {dir.departments.map((x) => (
          <option key={x.id} value={`department:${x.id}`}>
            {loc(x.name)}
          </option>
        ))}
      </optgroup>
    </select>
  );
}

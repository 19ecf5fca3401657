import { useTranslation } from 'react-i18next';
import type { FieldDef, FieldValue } from '@shared/contract';
import { useLocalize } from '../app/i18n';

interface FieldInputProps {
  def: FieldDef;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
  testId: string;
  id: string;
}

/** One custom field of a ticket type, edited by its kind. Empty means null (cleared). */
export function FieldInput({ def, value, onChange, testId, id }: FieldInputProps) {
  const { t } = useTranslation();
  const loc = useLocalize();
  switch (def.kind) {
    case 'textarea':
      return (
        <textarea
          id={id}
          className="input"
          rows={3}
          data-testid={testId}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
        />
      );
    case 'number':
      return (
        <span className="with-unit">
          <input
            id={id}
            className="input"
            type="number"
            data-testid={testId}
            min={def.min}
            max={def.max}
            value={typeof value === 'number' ? value : ''}
            onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
          />
          {def.unit && <span className="unit">{def.unit}</span>}
        </span>
      );
    case 'boolean':
      return (
        <select
          id={id}
          className="input"
          data-testid={testId}
          value={value === true ? 'true' : value === false ? 'false' : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : e.target.value === 'true')}
        >
          <option value="">—</option>
          <option value="true">{t('common.yes')}</option>
          <option value="false">{t('common.no')}</option>
        </select>
      );
    case 'select':
      return (
        <select
          id={id}
          className="input"
          data-testid={testId}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
        >
          <option value="">—</option>
          {def.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {loc(o.label)}
            </option>
          ))}
        </select>
      );
    case 'multiselect': {
      const current = Array.isArray(value) ? value : [];
      return (
        <div className="chip-group" data-testid={testId} id={id}>
          {def.options?.map((o) => (
            <label key={o.value} className={`chip${current.includes(o.value) ? ' on' : ''}`}>
              <input
                type="checkbox"
                checked={current.includes(o.value)}
                onChange={() => {
                  const next = current.includes(o.value)
                    ? current.filter((v) => v !== o.value)
                    : [...current, o.value];
                  onChange(next.length ? next : null);
                }}
              />
              {loc(o.label)}
            </label>
          ))}
        </div>
      );
    }
    case 'date':
      return (
        <input
          id={id}
          className="input"
          type="datetime-local"
          data-testid={testId}
          value={typeof value === 'string' ? toLocalInput(value) : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : new Date(e.target.value).toISOString())}
        />
      );
    case 'text':
    default:
      return (
        <input
          id={id}
          className="input"
          data-testid={testId}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
        />
      );
  }
}

/** An ISO time as the value of a datetime-local input (the browser's zone). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A custom field value for reading. */
export function useFieldText(): (def: FieldDef | undefined, value: FieldValue | undefined) => string {
  const { t } = useTranslation();
  const loc = useLocalize();
  return (def, value) => {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (Array.isArray(value))
      return value.map((v) => loc(def?.options?.find((o) => o.value === v)?.label) || v).join(', ');
    if (def?.kind === 'select')
      return loc(def.options?.find((o) => o.value === value)?.label) || String(value);
    if (typeof value === 'number') return def?.unit ? `${value} ${def.unit}` : String(value);
    return String(value);
  };
}

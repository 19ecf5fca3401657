import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { WELL_KNOWN_BUSINESS_KEYS } from '@shared/contract';

export interface KeyRow {
  key: string;
  value: string;
}

export function rowsFromKeys(keys: Record<string, string>): KeyRow[] {
  return Object.entries(keys).map(([key, value]) => ({ key, value }));
}

/** Rows with a key and a value become the map; blank rows are ignored. */
export function keysFromRows(rows: readonly KeyRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) {
    const key = r.key.trim();
    const value = r.value.trim();
    if (key && value) out[key] = value;
  }
  return out;
}

interface Props {
  rows: KeyRow[];
  onChange: (rows: KeyRow[]) => void;
  testIdPrefix: string;
  error?: string;
}

/** Business keys as editable rows; the well-known keys are suggested for the key column. */
export function BusinessKeysEditor({ rows, onChange, testIdPrefix, error }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const set = (i: number, patch: Partial<KeyRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="bizkeys-editor">
      <datalist id={listId}>
        {WELL_KNOWN_BUSINESS_KEYS.map((k) => (
          <option key={k} value={k}>
            {t(`bizKey.${k}`)}
          </option>
        ))}
      </datalist>
      {rows.map((r, i) => (
        <div className="bizkey-row" key={i}>
          <input
            className="input"
            list={listId}
            placeholder={t('bizKey.keyPlaceholder')}
            value={r.key}
            data-testid={`${testIdPrefix}-key`}
            onChange={(e) => set(i, { key: e.target.value })}
          />
          <input
            className="input"
            placeholder={t('bizKey.valuePlaceholder')}
            value={r.value}
            data-testid={`${testIdPrefix}-value`}
            onChange={(e) => set(i, { value: e.target.value })}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={t('common.remove')}
            title={t('common.remove')}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <div className="bizkey-suggest">
        <button
          type="button"
          className="button small ghost"
          data-testid={`${testIdPrefix}-add`}
          onClick={() => onChange([...rows, { key: '', value: '' }])}
        >
          + {t('bizKey.add')}
        </button>
        {WELL_KNOWN_BUSINESS_KEYS.filter((k) => !rows.some((r) => r.key === k)).map((k) => (
          <button
            key={k}
            type="button"
            className="chip small"
            onClick={() => onChange([...rows.filter((r) => r.key || r.value), { key: k, value: '' }])}
          >
            {t(`bizKey.${k}`)}
          </button>
        ))}
      </div>
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}

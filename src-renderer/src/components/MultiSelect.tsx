import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Option<V extends string> {
  value: V;
  label: ReactNode;
  /** Shown before the label (a colour dot, a badge). */
  prefix?: ReactNode;
  group?: string;
}

interface MultiSelectProps<V extends string> {
  label: string;
  options: readonly Option<V>[];
  value: readonly V[];
  onChange: (value: V[]) => void;
  testId: string;
  /** Show a text box to narrow long option lists. */
  searchable?: boolean;
  width?: number;
}

/** A compact filter: a button with the selection count and a popover of checkboxes. */
export function MultiSelect<V extends string>({
  label,
  options,
  value,
  onChange,
  testId,
  searchable,
  width,
}: MultiSelectProps<V>) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const selected = new Set(value);
  const toggle = (v: V) => {
    const next = new Set(selected);
    if (next.has(v)) next.delete(v);
    else next.add(v);
    onChange(options.map((o) => o.value).filter((x) => next.has(x)));
  };
  const q = query.trim().toLowerCase();
  const shown = q
    ? options.filter((o) => String(o.label).toLowerCase().includes(q) || o.value.toLowerCase().includes(q))
    : options;
  let lastGroup: string | undefined;

  return (
    <div className={`multiselect${value.length ? ' has-value' : ''}`} ref={root}>
      <button
        type="button"
        className="filter-button"
        data-testid={testId}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span>{label}</span>
        {value.length > 0 && <span className="count-pill">{value.length}</span>}
        <span className="caret">▾</span>
      </button>
      {open && (
        <div className="popover" data-testid={`${testId}-menu`} style={width ? { width } : undefined}>
          {searchable && (
            <input
              className="input small popover-search"
              value={query}
              placeholder={t('common.filterOptions')}
              onChange={(e) => setQuery(e.target.value)}
              autoFocus
            />
          )}
          <div className="popover-options">
            {shown.map((o) => {
              const header = o.group !== undefined && o.group !== lastGroup ? o.group : null;
              lastGroup = o.group;
              return (
                <div key={o.value}>
                  {header && <div className="popover-group">{header}</div>}
                  <label className="popover-option" data-testid={`${testId}-option`} data-value={o.value}>
                    <input type="checkbox" checked={selected.has(o.value)} onChange={() => toggle(o.value)} />
                    {o.prefix}
                    <span>{o.label}</span>
                  </label>
                </div>
              );
            })}
            {shown.length === 0 && <div className="popover-empty">{t('common.noOptions')}</div>}
          </div>
          {value.length > 0 && (
            <button type="button" className="button small ghost popover-clear" onClick={() => onChange([])}>
              {t('common.clearSelection')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

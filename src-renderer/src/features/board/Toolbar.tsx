import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ImpactDomain,
  Priority,
  TicketSortField,
  UNASSIGNED,
  WELL_KNOWN_BUSINESS_KEYS,
  type ConfigDocument,
} from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useBoard, useStores } from '../../app/stores-context';
import { MultiSelect, type Option } from '../../components/MultiSelect';
import { boardSelectors } from '../../stores/board/board-store';
import { isFilterEmpty, statusOptions } from '../../stores/board/board-query';
import { SavedViews } from './SavedViews';

export const SEARCH_INPUT_ID = 'board-search';

/**
 * A text box that reports its value after the user pauses typing. The callback runs as it is at
 * that moment: a filter committed with Enter meanwhile must not be re-applied from a stale render.
 */
function useDebounced(value: string, onSettle: (v: string) => void, delayMs = 250): void {
  const latest = useRef(onSettle);
  useEffect(() => {
    latest.current = onSettle;
  });
  useEffect(() => {
    const timer = setTimeout(() => latest.current(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
}

export function Toolbar({ config }: { config: ConfigDocument }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { board, create } = useStores();
  const filter = useBoard((s) => s.filter);
  const sort = useBoard((s) => s.sort);
  const mode = useBoard((s) => s.mode);
  const total = useBoard(boardSelectors.total);
  const actions = board.getState();

  const [text, setText] = useState(filter.text ?? '');
  const [bkValue, setBkValue] = useState(filter.businessKey?.value ?? '');
  // A loaded view or "clear filters" replaces the filter: follow it.
  useEffect(() => setText(filter.text ?? ''), [filter.text]);
  useEffect(() => setBkValue(filter.businessKey?.value ?? ''), [filter.businessKey?.value]);
  // Compare with the store's filter when the timer fires, not with the one of the typing render.
  useDebounced(text, (v) => {
    if ((board.getState().filter.text ?? '') !== v) actions.setFilter({ text: v || undefined });
  });
  useDebounced(bkValue, (v) => {
    const current = board.getState().filter.businessKey;
    if ((current?.value ?? '') !== v) {
      actions.setFilter({ businessKey: v.trim() ? { key: current?.key, value: v } : undefined });
    }
  });

  const statuses = useMemo(() => statusOptions(config, filter.typeId), [config, filter.typeId]);
  const statusOpts: Option<string>[] = statuses.map((s) => ({
    value: s.id,
    label: s.labels.map((l) => loc(l)).join(' / '),
    prefix: <span className={`cat-dot cat-${s.category}`} />,
  }));
  const priorityOpts: Option<Priority>[] = Priority.options.map((p) => ({
    value: p,
    label: `${p} · ${t(`priority.${p}`)}`,
    prefix: <span className={`prio-dot prio-${p.toLowerCase()}`} />,
  }));
  const typeOpts: Option<string>[] = config.types.map((ty) => ({
    value: ty.id,
    label: loc(ty.name),
    prefix: <span className="type-dot" style={{ background: ty.color }} />,
  }));
  const domainOpts: Option<ImpactDomain>[] = ImpactDomain.options.map((d) => ({
    value: d,
    label: t(`domain.${d}`),
  }));
  const dir = config.directory;
  const assigneeOpts: Option<string>[] = [
    { value: UNASSIGNED, label: t('assignee.unassigned'), group: t('assignee.special') },
    ...dir.users.map((u) => ({ value: u.id, label: u.name, group: t('assignee.users') })),
    ...dir.teams.map((x) => ({ value: x.id, label: loc(x.name), group: t('assignee.teams') })),
    ...dir.departments.map((x) => ({ value: x.id, label: loc(x.name), group: t('assignee.departments') })),
  ];

  return (
    <div className="toolbar">
      <div className="toolbar-row">
        <input
          id={SEARCH_INPUT_ID}
          className="input search"
          type="search"
          data-testid="search-input"
          placeholder={t('board.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') actions.setFilter({ text: text || undefined });
          }}
        />
        <MultiSelect
          label={t('filters.status')}
          testId="filter-status"
          options={statusOpts}
          value={filter.status ?? []}
          onChange={(v) => actions.setFilter({ status: v })}
          width={240}
        />
        <MultiSelect
          label={t('filters.priority')}
          testId="filter-priority"
          options={priorityOpts}
          value={filter.priority ?? []}
          onChange={(v) => actions.setFilter({ priority: v })}
        />
        <MultiSelect
          label={t('filters.type')}
          testId="filter-type"
          options={typeOpts}
          value={filter.typeId ?? []}
          onChange={(v) => actions.setFilter({ typeId: v })}
          width={220}
        />
        <MultiSelect
          label={t('filters.domain')}
          testId="filter-domain"
          options={domainOpts}
          value={filter.domain ?? []}
          onChange={(v) => actions.setFilter({ domain: v })}
        />
        <MultiSelect
          label={t('filters.assignee')}
          testId="filter-assignee"
          options={assigneeOpts}
          value={filter.assigneeId ?? []}
          onChange={(v) => actions.setFilter({ assigneeId: v })}
          searchable
          width={260}
        />
        <div className="bizkey-filter">
          <select
            className="input"
            data-testid="filter-bizkey-key"
            aria-label={t('filters.businessKeyKey')}
            value={filter.businessKey?.key ?? ''}
            onChange={(e) => {
              const key = e.target.value || undefined;
              actions.setFilter({
                businessKey: bkValue.trim() ? { key, value: bkValue } : key ? { key, value: '' } : undefined,
              });
            }}
          >
            <option value="">{t('filters.anyKey')}</option>
            {WELL_KNOWN_BUSINESS_KEYS.map((k) => (
              <option key={k} value={k}>
                {t(`bizKey.${k}`)}
              </option>
            ))}
          </select>
          <input
            className="input"
            data-testid="filter-bizkey-value"
            placeholder={t('filters.businessKeyValue')}
            value={bkValue}
            onChange={(e) => setBkValue(e.target.value)}
          />
        </div>
        <label className={`toggle${filter.open ? ' on' : ''}`}>
          <input
            type="checkbox"
            data-testid="filter-open"
            checked={filter.open === true}
            onChange={(e) => actions.setFilter({ open: e.target.checked ? true : undefined })}
          />
          {t('filters.openOnly')}
        </label>
        <label className={`toggle danger${filter.slaBreached ? ' on' : ''}`}>
          <input
            type="checkbox"
            data-testid="filter-breached"
            checked={filter.slaBreached === true}
            onChange={(e) => actions.setFilter({ slaBreached: e.target.checked ? true : undefined })}
          />
          {t('filters.breachedOnly')}
        </label>
        {!isFilterEmpty(filter) && (
          <button
            type="button"
            className="button small ghost"
            data-testid="clear-filters"
            onClick={() => actions.clearFilters()}
          >
            {t('filters.clear')}
          </button>
        )}
      </div>
      <div className="toolbar-row">
        <SavedViews />
        <span className="toolbar-sep" />
        <label className="inline-label">
          {t('sort.label')}
          <select
            className="input"
            data-testid="sort-field"
            value={sort.field}
            onChange={(e) => actions.setSort({ ...sort, field: e.target.value as TicketSortField })}
          >
            {TicketSortField.options.map((f) => (
              <option key={f} value={f}>
                {t(`sort.field.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button small"
          data-testid="sort-dir"
          data-dir={sort.dir}
          title={t(`sort.dir.${sort.dir}`)}
          onClick={() => actions.setSort({ ...sort, dir: sort.dir === 'asc' ? 'desc' : 'asc' })}
        >
          {sort.dir === 'asc' ? '↑' : '↓'} {t(`sort.dir.${sort.dir}`)}
        </button>
        <span className="toolbar-sep" />
        <div className="segmented" role="group" aria-label={t('board.mode')} data-testid="view-mode-toggle">
          {(['list', 'kanban'] as const).map((m) => (
            <button
              key={m}
              type="button"
              data-mode={m}
              className={mode === m ? 'active' : ''}
              aria-pressed={mode === m}
              onClick={() => actions.setMode(m)}
            >
              {t(`board.modes.${m}`)}
            </button>
          ))}
        </div>
        <span className="total-count" data-testid="total-count" data-total={total ?? ''}>
          {total === null
            ? t('board.counting')
            : t('board.total', { count: total, formatted: total.toLocaleString() })}
        </span>
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="button primary"
          data-testid="new-ticket"
          onClick={() => create.getState().show()}
        >
          + {t('board.newTicket')}
          <kbd>n</kbd>
        </button>
      </div>
    </div>
  );
}

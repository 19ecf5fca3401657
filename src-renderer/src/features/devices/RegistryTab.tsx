import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { Device, DeviceKind } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useConfig, useFleet, useStores } from '../../app/stores-context';
import { EmptyState, Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { DeviceDialog } from './DeviceDialog';
import { ImportDialog, readImportFile } from './ImportDialog';
import { fieldsOf } from './import-template';
import {
  facetValues,
  filterDevices,
  isFiltered,
  liveStateOf,
  NO_FILTER,
  type LiveState,
} from './registry-filter';
import { RemoveDeviceDialog } from './RemoveDeviceDialog';
import { useDeviceStores } from './use-device-stores';

const ROW_H = 34;

type Dialog =
  { kind: 'edit'; device: Device | null } | { kind: 'remove'; device: Device } | { kind: 'import' } | null;

/** The registry: a filterable, virtualised table; add, edit, remove, import. */
export function RegistryTab() {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { fleet } = useStores();
  const { devices: devicesStore } = useDeviceStores();
  const devices = useFleet((s) => s.devices);
  const health = useFleet((s) => s.health);
  const version = useFleet((s) => s.version);
  const loading = useFleet((s) => s.loading);
  const error = useFleet((s) => s.error);
  const kinds = useConfig((s) => s.config?.deviceKinds) ?? [];
  const [filter, setFilter] = useState(NO_FILTER);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [removed, setRemoved] = useState<Device | null>(null);
  const [undoError, setUndoError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (fleet.getState().version < 0) void fleet.getState().load();
  }, [fleet]);

  const rows = useMemo(() => filterDevices(devices, filter), [devices, filter]);
  const facets = useMemo(() => facetValues(devices, filter.region), [devices, filter.region]);

  const open = useCallback((sn: string) => fleet.getState().select(sn), [fleet]);

  const undo = async (): Promise<void> => {
    if (!removed) return;
    const back = await devicesStore.getState().upsert(fieldsOf(removed));
    if (back) setRemoved(null);
    else setUndoError(devicesStore.getState().saveError?.message ?? t('errors.generic'));
  };

  // A file dropped anywhere on the tab starts an import with it.
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    e.preventDefault();
    setDialog({ kind: 'import' });
    void readImportFile(file).then((f) => devicesStore.getState().pickImportFile(f));
  };

  return (
    <div
      className={`registry${dragging ? ' dragging' : ''}`}
      data-testid="registry"
      onDragOver={(e) => {
        if (!dialog && e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div className="toolbar devices-toolbar">
        <div className="toolbar-row">
          <input
            className="input search"
            type="search"
            placeholder={t('devices.search')}
            aria-label={t('devices.search')}
            value={filter.text}
            onChange={(e) => setFilter({ ...filter, text: e.target.value })}
            data-testid="devices-search"
          />
          <select
            className="input"
            aria-label={t('devices.col.kind')}
            value={filter.kind ?? ''}
            onChange={(e) => setFilter({ ...filter, kind: e.target.value || null })}
            data-testid="devices-filter-kind"
          >
            <option value="">{t('devices.allKinds')}</option>
            {kinds.map((k) => (
              <option key={k.id} value={k.id}>
                {loc(k.name)}
              </option>
            ))}
          </select>
          <select
            className="input"
            aria-label={t('devices.col.region')}
            value={filter.region ?? ''}
            onChange={(e) => setFilter({ ...filter, region: e.target.value || null, site: null })}
          >
            <option value="">{t('devices.allRegions')}</option>
            {facets.regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <select
            className="input"
            aria-label={t('devices.col.site')}
            value={filter.site ?? ''}
            onChange={(e) => setFilter({ ...filter, site: e.target.value || null })}
          >
            <option value="">{t('devices.allSites')}</option>
            {facets.sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {isFiltered(filter) && (
            <button type="button" className="button small ghost" onClick={() => setFilter(NO_FILTER)}>
              {t('devices.clearFilter')}
            </button>
          )}
          <span className="total-count" data-testid="devices-count" data-count={rows.length}>
            {isFiltered(filter)
              ? t('devices.countFiltered', { shown: rows.length, total: devices.length })
              : t('devices.count', { total: devices.length })}
          </span>
          <span className="toolbar-spacer" />
          <button
            type="button"
            className="button"
            onClick={() => setDialog({ kind: 'import' })}
            data-testid="devices-import"
          >
            {t('devices.import.open')}
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => setDialog({ kind: 'edit', device: null })}
            data-testid="devices-add"
          >
            {t('devices.add')}
          </button>
        </div>
      </div>

      {removed && (
        <div className="notice ok devices-undo" role="status" data-testid="devices-undo">
          <span>{t('devices.removed', { sn: removed.sn })}</span>
          {undoError && <span className="error-text">{undoError}</span>}
          <button
            type="button"
            className="button small"
            onClick={() => void undo()}
            data-testid="devices-undo-button"
          >
            {t('devices.undo')}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t('common.close')}
            onClick={() => setRemoved(null)}
          >
            ×
          </button>
        </div>
      )}

      {error && version < 0 ? (
        <div className="page-center">
          <ErrorBanner error={error} onRetry={() => void fleet.getState().load()} />
        </div>
      ) : loading && version < 0 ? (
        <div className="page-center">
          <Spinner label={t('common.loading')} />
        </div>
      ) : devices.length === 0 ? (
        <div className="page-center">
          <EmptyState
            title={t('devices.empty')}
            hint={t('devices.emptyHint')}
            testId="devices-empty"
            action={
              <button type="button" className="button primary" onClick={() => setDialog({ kind: 'import' })}>
                {t('devices.import.open')}
              </button>
            }
          />
        </div>
      ) : (
        <DeviceTable
          devices={devices}
          rows={rows}
          health={health}
          kinds={kinds}
          onOpen={open}
          onEdit={(d) => setDialog({ kind: 'edit', device: d })}
          onRemove={(d) => setDialog({ kind: 'remove', device: d })}
        />
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('devices.import.dropHere')}
        </div>
      )}

      {dialog?.kind === 'edit' && <DeviceDialog device={dialog.device} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'remove' && (
        <RemoveDeviceDialog
          device={dialog.device}
          onClose={() => setDialog(null)}
          onRemoved={(d) => {
            setDialog(null);
            setUndoError(null);
            setRemoved(d);
          }}
        />
      )}
      {dialog?.kind === 'import' && <ImportDialog onClose={() => setDialog(null)} />}
    </div>
  );
}

interface TableProps {
  devices: readonly Device[];
  rows: readonly number[];
  health: Uint8Array | null;
  kinds: readonly DeviceKind[];
  onOpen: (sn: string) => void;
  onEdit: (d: Device) => void;
  onRemove: (d: Device) => void;
}

function DeviceTable({ devices, rows, health, kinds, onOpen, onEdit, onRemove }: TableProps) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const scroller = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState(0);
  const kindName = useMemo(() => new Map(kinds.map((k) => [k.id, loc(k.name)])), [kinds, loc]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_H,
    overscan: 8,
  });
  const at = Math.min(cursor, Math.max(0, rows.length - 1));

  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== e.currentTarget) return; // keys of a row's buttons are theirs
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_H * 10) / ROW_H) - 1);
    const move: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let next: number | null = null;
    if (e.key in move) next = at + move[e.key]!;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'Enter') {
      const d = devices[rows[at] ?? -1];
      if (d) onOpen(d.sn);
      e.preventDefault();
      return;
    }
    if (next === null) return;
    e.preventDefault();
    next = Math.max(0, Math.min(rows.length - 1, next));
    setCursor(next);
    virtualizer.scrollToIndex(next);
  };

  return (
    <div className="devices-table" role="grid" aria-rowcount={rows.length + 1} data-testid="devices-table">
      <div className="dev-row dev-header" role="row" aria-rowindex={1}>
        <span role="columnheader">{t('devices.col.sn')}</span>
        <span role="columnheader">{t('devices.col.kind')}</span>
        <span role="columnheader">{t('devices.col.site')}</span>
        <span role="columnheader">{t('devices.col.region')}</span>
        <span role="columnheader">{t('devices.col.position')}</span>
        <span role="columnheader">{t('devices.col.model')}</span>
        <span role="columnheader">{t('devices.col.installDate')}</span>
        <span role="columnheader">{t('devices.col.state')}</span>
        <span role="columnheader" className="sr-only">
          {t('devices.col.actions')}
        </span>
      </div>
      {rows.length === 0 ? (
        <EmptyState title={t('devices.noMatch')} testId="devices-no-match" />
      ) : (
        <div
          ref={scroller}
          className="devices-scroll"
          tabIndex={0}
          onKeyDown={onKey}
          aria-activedescendant={`dev-row-${at}`}
          aria-label={t('devices.tableLabel')}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const d = devices[rows[v.index]!]!;
              return (
                <DeviceRow
                  key={d.sn}
                  index={v.index}
                  top={v.start}
                  device={d}
                  kindName={kindName.get(d.kind) ?? d.kind}
                  state={liveStateOf(health?.[rows[v.index]!])}
                  active={v.index === at}
                  onClick={() => {
                    setCursor(v.index);
                    onOpen(d.sn);
                  }}
                  onEdit={onEdit}
                  onRemove={onRemove}
                />
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

const fmtCoord = (v: number | null): string => (v === null ? '' : v.toFixed(5));

const DeviceRow = memo(function DeviceRow({
  index,
  top,
  device: d,
  kindName,
  state,
  active,
  onClick,
  onEdit,
  onRemove,
}: {
  index: number;
  top: number;
  device: Device;
  kindName: string;
  state: LiveState;
  active: boolean;
  onClick: () => void;
  onEdit: (d: Device) => void;
  onRemove: (d: Device) => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      id={`dev-row-${index}`}
      className={`dev-row dev-body${active ? ' active' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onClick}
      data-testid="device-row"
      data-sn={d.sn}
    >
      <span role="gridcell" className="mono dev-sn">
        {d.sn}
      </span>
      <span role="gridcell" className="ellipsis">
        {kindName}
      </span>
      <span role="gridcell" className="ellipsis" title={d.site}>
        {d.site}
      </span>
      <span role="gridcell" className="ellipsis">
        {d.region}
      </span>
      <span role="gridcell" className="mono small">
        {d.lng === null || d.lat === null ? (
          <span className="faint">{t('devices.noPosition')}</span>
        ) : (
          `${fmtCoord(d.lng)}, ${fmtCoord(d.lat)}`
        )}
      </span>
      <span role="gridcell" className="ellipsis" title={d.model}>
        {d.model}
      </span>
      <span role="gridcell" className="mono small">
        {d.installDate ?? ''}
      </span>
      <span role="gridcell">
        <span className={`live live-${state}`} data-testid="device-state" data-state={state}>
          <span className="live-dot" aria-hidden="true" />
          {t(`devices.live.${state}`)}
        </span>
      </span>
      <span role="gridcell" className="dev-actions">
        <button
          type="button"
          className="button small ghost"
          onClick={(e) => {
            e.stopPropagation();
            onEdit(d);
          }}
          data-testid="device-edit"
          tabIndex={active ? 0 : -1}
        >
          {t('devices.edit')}
        </button>
        <button
          type="button"
          className="button small ghost danger-text"
          onClick={(e) => {
            e.stopPropagation();
            onRemove(d);
          }}
          data-testid="device-remove"
          tabIndex={active ? 0 : -1}
        >
          {t('devices.remove')}
        </button>
      </span>
    </div>
  );
});

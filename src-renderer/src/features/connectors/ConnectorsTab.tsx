import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode, type Connector } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useConfig } from '../../app/stores-context';
import { useNow } from '../../app/use-now';
import { EmptyState, Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { useConnectors, useDeviceStores } from '../devices/use-device-stores';
import { useFocusTrap } from '../devices/use-focus-trap';
import { ConnectorDialog } from './ConnectorDialog';
import { displayUrl, durationParts, lookOf, settingsOf, toneOfLook } from './connector-status';
import './connectors.css';

type Dialog = { kind: 'edit'; connector: Connector | null } | { kind: 'remove'; connector: Connector } | null;

/** The MQTT connectors with their live connection state; add, edit, enable/disable, delete. */
export function ConnectorsTab() {
  const { t } = useTranslation();
  const { connectors: store } = useDeviceStores();
  const connectors = useConnectors((s) => s.connectors);
  const loaded = useConnectors((s) => s.loaded);
  const error = useConnectors((s) => s.error);
  const saveError = useConnectors((s) => s.saveError);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [toggling, setToggling] = useState<string | null>(null);

  useEffect(() => {
    // Entering the tab refreshes counters (messages, last message) that only change by a list.
    void store.getState().load();
  }, [store]);

  const toggle = async (c: Connector): Promise<void> => {
    setToggling(c.id);
    await store.getState().save({
      id: c.id,
      version: c.version,
      settings: { ...settingsOf(c), enabled: !c.enabled },
    });
    setToggling(null);
  };

  const body = (() => {
    if (!loaded && error) {
      return error.code === ErrorCode.Unavailable ? (
        <EmptyState
          title={t('devices.connectors.unavailable')}
          hint={error.message}
          testId="connectors-unavailable"
        />
      ) : (
        <ErrorBanner error={error} onRetry={() => void store.getState().load()} />
      );
    }
    if (!loaded) return <Spinner label={t('common.loading')} />;
    if (connectors.length === 0) {
      return (
        <EmptyState
          title={t('devices.connectors.none')}
          hint={t('devices.connectors.noneHint')}
          testId="connectors-empty"
          action={
            <button
              type="button"
              className="button primary"
              onClick={() => setDialog({ kind: 'edit', connector: null })}
            >
              {t('devices.connectors.add')}
            </button>
          }
        />
      );
    }
    return (
      <ul className="connector-list" data-testid="connector-list">
        {connectors.map((c) => (
          <ConnectorItem
            key={c.id}
            connector={c}
            busy={toggling === c.id}
            onEdit={() => setDialog({ kind: 'edit', connector: c })}
            onRemove={() => setDialog({ kind: 'remove', connector: c })}
            onToggle={() => void toggle(c)}
          />
        ))}
      </ul>
    );
  })();

  return (
    <div className="connectors-tab" data-testid="connectors-tab">
      <div className="toolbar devices-toolbar">
        <div className="toolbar-row">
          <span className="muted">{t('devices.connectors.intro')}</span>
          <span className="toolbar-spacer" />
          <button
            type="button"
            className="button primary"
            onClick={() => setDialog({ kind: 'edit', connector: null })}
            data-testid="connector-add"
            disabled={!loaded}
          >
            {t('devices.connectors.add')}
          </button>
        </div>
      </div>
      {loaded && error && (
        <ErrorBanner
          error={error}
          onRetry={() => void store.getState().load()}
          testId="connectors-reload-error"
        />
      )}
      {saveError && !dialog && (
        <ErrorBanner
          error={saveError}
          onDismiss={() => store.getState().clearErrors()}
          testId="connectors-save-error"
        />
      )}
      <div className="connectors-body">{body}</div>
      {dialog?.kind === 'edit' && (
        <ConnectorDialog connector={dialog.connector} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'remove' && (
        <RemoveConnectorDialog connector={dialog.connector} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}

function ConnectorItem({
  connector: c,
  busy,
  onEdit,
  onRemove,
  onToggle,
}: {
  connector: Connector;
  busy: boolean;
  onEdit: () => void;
  onRemove: () => void;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  const tz = useConfig((s) => s.config?.timezone) ?? 'Asia/Shanghai';
  const now = useNow(1000);
  const look = lookOf(c);
  const since = durationParts(now - Date.parse(c.status.since));
  const openGap = c.status.gaps.find((g) => g.to === null);
  return (
    <li
      className={`connector tone-${toneOfLook(look)}`}
      data-testid="connector-item"
      data-name={c.name}
      data-look={look}
    >
      <div className="connector-main">
        <div className="connector-title">
          <span
            className={`state-pill tone-${toneOfLook(look)}`}
            data-testid="connector-state"
            data-state={look}
          >
            <span className="mqtt-dot" aria-hidden="true" />
            {t(`devices.connectors.look.${look}`)}
          </span>
          <strong className="connector-name">{c.name}</strong>
          <span className="mono muted connector-url">{displayUrl(c.url)}</span>
        </div>
        <div className="connector-meta muted small">
          <span>
            {t('devices.connectors.since', { n: since.n, unit: t(`devices.connectors.unit.${since.unit}`) })}
          </span>
          {(look === 'reconnecting' || look === 'error') && c.status.reconnects > 0 ? (
            <span>{t('devices.connectors.retrying', { count: c.status.reconnects })}</span>
          ) : null}
          <span>{t('devices.connectors.messages', { count: c.status.messages })}</span>
          <span>
            {c.status.lastMessageAt
              ? t('devices.connectors.lastMessage', {
                  at: formatDateTime(c.status.lastMessageAt, tz, { seconds: true }),
                })
              : t('devices.connectors.noMessages')}
          </span>
          <span>{t('devices.connectors.subscriptions', { count: c.subscriptions.length })}</span>
          {c.hasPassword && <span>{t('devices.connectors.withPassword')}</span>}
          {openGap && (
            <span className="warn-text">
              {t('devices.connectors.gapOpen', { at: formatDateTime(openGap.from, tz, { seconds: true }) })}
            </span>
          )}
        </div>
        {c.status.lastError && look !== 'connected' && look !== 'disabled' && (
          <div className="connector-error" role="status" data-testid="connector-error">
            {c.status.lastError}
          </div>
        )}
      </div>
      <div className="connector-actions">
        <button
          type="button"
          className={`toggle${c.enabled ? ' on' : ''}`}
          aria-pressed={c.enabled}
          disabled={busy}
          onClick={onToggle}
          data-testid="connector-toggle"
        >
          {c.enabled ? t('devices.connectors.enabled') : t('devices.connectors.disabled')}
        </button>
        <button type="button" className="button small" onClick={onEdit} data-testid="connector-edit">
          {t('devices.connectors.edit')}
        </button>
        <button
          type="button"
          className="button small ghost danger-text"
          onClick={onRemove}
          data-testid="connector-remove"
        >
          {t('devices.connectors.remove')}
        </button>
      </div>
    </li>
  );
}

function RemoveConnectorDialog({ connector, onClose }: { connector: Connector; onClose: () => void }) {
  const { t } = useTranslation();
  useFocusTrap();
  const { connectors: store } = useDeviceStores();
  const removing = useConnectors((s) => s.removing);
  const error = useConnectors((s) => s.removeError);
  useEffect(() => () => store.getState().clearErrors(), [store]);
  return (
    <Modal
      title={t('devices.connectors.removeDialog.title')}
      onClose={onClose}
      width={460}
      testId="connector-remove-dialog"
      footer={
        <>
          <button type="button" className="button ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button danger"
            disabled={removing}
            data-autofocus
            data-testid="connector-remove-confirm"
            onClick={() => {
              void store
                .getState()
                .remove(connector.id, connector.version)
                .then((ok) => ok && onClose());
            }}
          >
            {t('devices.connectors.removeDialog.confirm')}
          </button>
        </>
      }
    >
      <p>{t('devices.connectors.removeDialog.body', { name: connector.name })}</p>
      <p className="muted small">{t('devices.connectors.removeDialog.note')}</p>
      {error && <ErrorBanner error={error} onReload={() => void store.getState().load().then(onClose)} />}
    </Modal>
  );
}

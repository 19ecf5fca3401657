import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode, type Connector } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useConfig } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { fieldIssues } from '../../stores/errors';
import { useConnectors, useDeviceStores } from '../devices/use-device-stores';
import { useFocusTrap } from '../devices/use-focus-trap';
import {
  draftFromConnector,
  emptyDraft,
  emptyMapping,
  emptyMetric,
  formPath,
  isEmbedded,
  toSaveParams,
  type ConnectorDraft,
  type MappingDraft,
} from './connector-draft';

/** Adds a connector (`connector` null) or edits one. Secrets are write-only: set, keep or clear. */
export function ConnectorDialog({
  connector,
  onClose,
}: {
  connector: Connector | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  useFocusTrap();
  const { connectors: store } = useDeviceStores();
  const saving = useConnectors((s) => s.saving);
  const saveError = useConnectors((s) => s.saveError);
  const kinds = useConfig((s) => s.config?.deviceKinds) ?? [];
  const [draft, setDraft] = useState<ConnectorDraft>(() =>
    connector ? draftFromConnector(connector) : emptyDraft(Math.random().toString(36).slice(2, 8)),
  );
  const [base, setBase] = useState(connector);
  const [tried, setTried] = useState(false);
  const metricsList = useId();

  useEffect(() => () => store.getState().clearErrors(), [store]);

  const { params, problems } = useMemo(() => toSaveParams(draft, base), [draft, base]);
  const server = useMemo(() => {
    const out: Record<string, string> = {};
    for (const [p, m] of Object.entries(fieldIssues(saveError))) out[formPath(p)] = m;
    return out;
  }, [saveError]);
  const conflict = saveError?.code === ErrorCode.Conflict;

  const msg = (path: string): string | undefined => {
    const p = problems[path];
    if (tried && p) return t(`devices.connectors.problem.${p}`);
    return server[path];
  };
  const set = (patch: Partial<ConnectorDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const setMapping = (i: number, patch: Partial<MappingDraft>): void =>
    setDraft((d) => ({ ...d, mappings: d.mappings.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0 || saving) return;
    if (await store.getState().save(params)) onClose();
  };

  /** After a CONFLICT: someone else saved; start again from their version (secrets typed are kept). */
  const reload = async (): Promise<void> => {
    if (!base) return;
    await store.getState().load();
    const latest = store.getState().connectors.find((c) => c.id === base.id) ?? null;
    store.getState().clearErrors();
    if (!latest) return onClose();
    setBase(latest);
    setDraft((d) => ({ ...draftFromConnector(latest), password: d.password, tlsKey: d.tlsKey }));
  };

  const field = (
    path: string,
    label: ReactNode,
    input: ReactNode,
    opts: { wide?: boolean; hint?: ReactNode } = {},
  ) => {
    const m = msg(path);
    return (
      <label className={`field${opts.wide ? ' wide' : ''}${m ? ' has-error' : ''}`} data-field={path}>
        <span className="field-label">{label}</span>
        {input}
        {opts.hint && !m && <span className="muted small">{opts.hint}</span>}
        {m && (
          <span className="field-error" data-testid={`cfield-error-${path}`}>
            {m}
          </span>
        )}
      </label>
    );
  };
  const input = (path: keyof ConnectorDraft, extra: Record<string, unknown> = {}) => (
    <input
      className="input"
      value={draft[path] as string}
      onChange={(e) => set({ [path]: e.target.value } as Partial<ConnectorDraft>)}
      aria-invalid={!!msg(path)}
      data-testid={`connector-field-${path}`}
      {...extra}
    />
  );

  const unplaced = Object.entries(server).filter(([p]) => !PLACED.test(p));
  const tls = /^(mqtts|wss):/.test(draft.url.trim());

  return (
    <Modal
      title={
        connector
          ? t('devices.connectors.dialog.editTitle', { name: connector.name })
          : t('devices.connectors.dialog.addTitle')
      }
      onClose={onClose}
      width={860}
      testId="connector-dialog"
      className="connector-modal"
      footer={
        <>
          {tried && Object.keys(problems).length > 0 && (
            <span className="form-summary-error">{t('devices.connectors.dialog.fixFields')}</span>
          )}
          <button type="button" className="button ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="connector-form"
            className="button primary"
            disabled={saving || conflict}
            data-testid="connector-save"
          >
            {saving ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <form id="connector-form" className="form connector-form" onSubmit={(e) => void submit(e)} noValidate>
        {conflict && (
          <ErrorBanner error={saveError} onReload={() => void reload()} testId="connector-conflict" />
        )}
        {saveError && !conflict && saveError.code !== ErrorCode.InvalidArgument && (
          <ErrorBanner error={saveError} onDismiss={() => store.getState().clearErrors()} />
        )}
        {unplaced.length > 0 && (
          <ul className="field-error" data-testid="connector-other-errors">
            {unplaced.map(([p, m]) => (
              <li key={p}>
                <code>{p}</code> {m}
              </li>
            ))}
          </ul>
        )}

        <fieldset className="form-section">
          <legend>{t('devices.connectors.dialog.general')}</legend>
          <div className="form-grid">
            {field('name', t('devices.connectors.dialog.name'), input('name', { 'data-autofocus': true }))}
            <label className="checkbox-line">
              <input
                type="checkbox"
                checked={draft.enabled}
                onChange={(e) => set({ enabled: e.target.checked })}
              />
              {t('devices.connectors.dialog.enabled')}
            </label>
            {field(
              'url',
              t('devices.connectors.dialog.url'),
              input('url', { placeholder: 'mqtts://broker.example:8883', spellCheck: false }),
              {
                wide: true,
                hint: isEmbedded(draft.url)
                  ? t('devices.connectors.dialog.embeddedHint')
                  : t('devices.connectors.dialog.urlHint'),
              },
            )}
            {field(
              'clientId',
              t('devices.connectors.dialog.clientId'),
              input('clientId', { spellCheck: false }),
            )}
            {field(
              'username',
              t('devices.connectors.dialog.username'),
              input('username', { autoComplete: 'off' }),
            )}
            <SecretField
              label={t('devices.connectors.dialog.password')}
              stored={!!base?.hasPassword}
              value={draft.password}
              clear={draft.clearPassword}
              onValue={(password) => set({ password, clearPassword: false })}
              onClear={(clearPassword) => set({ clearPassword, password: '' })}
              error={msg('password')}
              testId="connector-password"
            />
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('devices.connectors.dialog.tls')}</legend>
          {!tls && <p className="muted small">{t('devices.connectors.dialog.tlsOnlyFor')}</p>}
          <div className="form-grid">
            <label className="checkbox-line wide-line">
              <input
                type="checkbox"
                checked={draft.rejectUnauthorized}
                onChange={(e) => set({ rejectUnauthorized: e.target.checked })}
              />
              {t('devices.connectors.dialog.rejectUnauthorized')}
            </label>
            {field(
              'tls.ca',
              t('devices.connectors.dialog.ca'),
              <textarea
                className="input pem"
                rows={3}
                value={draft.ca}
                onChange={(e) => set({ ca: e.target.value })}
                spellCheck={false}
                placeholder="-----BEGIN CERTIFICATE-----"
              />,
            )}
            {field(
              'tls.cert',
              t('devices.connectors.dialog.cert'),
              <textarea
                className="input pem"
                rows={3}
                value={draft.cert}
                onChange={(e) => set({ cert: e.target.value })}
                spellCheck={false}
                placeholder="-----BEGIN CERTIFICATE-----"
              />,
            )}
            <SecretField
              label={t('devices.connectors.dialog.tlsKey')}
              stored={!!base?.hasTlsKey}
              value={draft.tlsKey}
              clear={draft.clearTlsKey}
              multiline
              onValue={(tlsKey) => set({ tlsKey, clearTlsKey: false })}
              onClear={(clearTlsKey) => set({ clearTlsKey, tlsKey: '' })}
              error={msg('tlsKey')}
              testId="connector-tlskey"
            />
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('devices.connectors.dialog.session')}</legend>
          <div className="form-grid">
            <label className="checkbox-line">
              <input
                type="checkbox"
                checked={draft.persistentSession}
                onChange={(e) => set({ persistentSession: e.target.checked })}
              />
              {t('devices.connectors.dialog.persistent')}
            </label>
            {field(
              'keepaliveSec',
              t('devices.connectors.dialog.keepalive'),
              input('keepaliveSec', { inputMode: 'numeric' }),
            )}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('devices.connectors.dialog.subscriptions')}</legend>
          {msg('subscriptions') && <span className="field-error">{msg('subscriptions')}</span>}
          {draft.subscriptions.map((s, i) => (
            <div key={i} className="sub-row">
              {field(
                `subscriptions.${i}.topic`,
                t('devices.connectors.dialog.topicFilter'),
                <input
                  className="input mono"
                  value={s.topic}
                  spellCheck={false}
                  data-testid="connector-sub-topic"
                  onChange={(e) =>
                    set({
                      subscriptions: draft.subscriptions.map((x, j) =>
                        j === i ? { ...x, topic: e.target.value } : x,
                      ),
                    })
                  }
                />,
              )}
              {field(
                `subscriptions.${i}.qos`,
                'QoS',
                <select
                  className="input"
                  value={s.qos}
                  onChange={(e) =>
                    set({
                      subscriptions: draft.subscriptions.map((x, j) =>
                        j === i ? { ...x, qos: Number(e.target.value) as 0 | 1 | 2 } : x,
                      ),
                    })
                  }
                >
                  <option value={0}>0 · {t('devices.connectors.dialog.qos0')}</option>
                  <option value={1}>1 · {t('devices.connectors.dialog.qos1')}</option>
                  <option value={2}>2 · {t('devices.connectors.dialog.qos2')}</option>
                </select>,
              )}
              <button
                type="button"
                className="icon-button"
                aria-label={t('devices.connectors.dialog.removeRow')}
                onClick={() => set({ subscriptions: draft.subscriptions.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button small ghost"
            onClick={() => set({ subscriptions: [...draft.subscriptions, { topic: '', qos: 1 }] })}
          >
            {t('devices.connectors.dialog.addSubscription')}
          </button>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('devices.connectors.dialog.mappings')}</legend>
          <p className="muted small">{t('devices.connectors.dialog.mappingsHint')}</p>
          {msg('mappings') && <span className="field-error">{msg('mappings')}</span>}
          {draft.mappings.map((m, i) => {
            const at = `mappings.${i}`;
            const kindMetrics = (kinds.find((k) => k.id === m.kind) ?? kinds[0])?.metrics ?? [];
            return (
              <div key={i} className="mapping" data-testid="connector-mapping">
                <div className="mapping-head">
                  <span className="section-title">
                    {t('devices.connectors.dialog.mappingN', { n: i + 1 })}
                  </span>
                  <button
                    type="button"
                    className="button small ghost"
                    onClick={() => set({ mappings: draft.mappings.filter((_, j) => j !== i) })}
                  >
                    {t('devices.connectors.dialog.removeMapping')}
                  </button>
                </div>
                <div className="form-grid three">
                  {field(
                    `${at}.topic`,
                    t('devices.connectors.dialog.topicPattern'),
                    <input
                      className="input mono"
                      value={m.topic}
                      spellCheck={false}
                      onChange={(e) => setMapping(i, { topic: e.target.value })}
                    />,
                    { wide: true, hint: t('devices.connectors.dialog.topicPatternHint') },
                  )}
                  {field(
                    `${at}.sn`,
                    t('devices.connectors.dialog.snFrom'),
                    <select
                      className="input"
                      value={m.snFrom}
                      onChange={(e) => setMapping(i, { snFrom: e.target.value as MappingDraft['snFrom'] })}
                    >
                      <option value="topic">{t('devices.connectors.dialog.snFromTopic')}</option>
                      <option value="json">{t('devices.connectors.dialog.snFromJson')}</option>
                    </select>,
                  )}
                  {m.snFrom === 'json' &&
                    field(
                      `${at}.sn.path`,
                      t('devices.connectors.dialog.jsonPath'),
                      <input
                        className="input mono"
                        value={m.snPath}
                        onChange={(e) => setMapping(i, { snPath: e.target.value })}
                      />,
                    )}
                  {field(
                    `${at}.kind`,
                    t('devices.connectors.dialog.kind'),
                    <select
                      className="input"
                      value={m.kind}
                      onChange={(e) => setMapping(i, { kind: e.target.value })}
                    >
                      <option value="">{t('devices.connectors.dialog.kindNone')}</option>
                      {kinds.map((k) => (
                        <option key={k.id} value={k.id}>
                          {loc(k.name)}
                        </option>
                      ))}
                    </select>,
                  )}
                  {field(
                    `${at}.timestamp`,
                    t('devices.connectors.dialog.tsFrom'),
                    <select
                      className="input"
                      value={m.tsFrom}
                      onChange={(e) => setMapping(i, { tsFrom: e.target.value as MappingDraft['tsFrom'] })}
                    >
                      <option value="receive">{t('devices.connectors.dialog.tsReceive')}</option>
                      <option value="json">{t('devices.connectors.dialog.tsJson')}</option>
                    </select>,
                  )}
                  {m.tsFrom === 'json' &&
                    field(
                      `${at}.timestamp.path`,
                      t('devices.connectors.dialog.jsonPath'),
                      <input
                        className="input mono"
                        value={m.tsPath}
                        onChange={(e) => setMapping(i, { tsPath: e.target.value })}
                      />,
                    )}
                  {m.tsFrom === 'json' &&
                    field(
                      `${at}.timestamp.format`,
                      t('devices.connectors.dialog.tsFormat'),
                      <select
                        className="input"
                        value={m.tsFormat}
                        onChange={(e) =>
                          setMapping(i, { tsFormat: e.target.value as MappingDraft['tsFormat'] })
                        }
                      >
                        <option value="ms">{t('devices.connectors.dialog.tsMs')}</option>
                        <option value="s">{t('devices.connectors.dialog.tsS')}</option>
                        <option value="iso">ISO 8601</option>
                      </select>,
                    )}
                </div>
                <div className="metric-rows">
                  <div className="metric-row metric-head muted small">
                    <span>{t('devices.connectors.dialog.metric')}</span>
                    <span>{t('devices.connectors.dialog.jsonPath')}</span>
                    <span>{t('devices.connectors.dialog.scale')}</span>
                    <span />
                  </div>
                  {msg(`${at}.metrics`) && <span className="field-error">{msg(`${at}.metrics`)}</span>}
                  {m.metrics.map((x, j) => {
                    const mp = `${at}.metrics.${j}`;
                    const upd = (patch: Partial<typeof x>) =>
                      setMapping(i, { metrics: m.metrics.map((y, k) => (k === j ? { ...y, ...patch } : y)) });
                    return (
                      <div key={j} className="metric-row">
                        {field(
                          `${mp}.metric`,
                          <span className="sr-only">{t('devices.connectors.dialog.metric')}</span>,
                          <input
                            className="input mono"
                            list={metricsList}
                            value={x.metric}
                            data-testid="connector-metric-name"
                            onChange={(e) => upd({ metric: e.target.value })}
                          />,
                        )}
                        {field(
                          `${mp}.path`,
                          <span className="sr-only">{t('devices.connectors.dialog.jsonPath')}</span>,
                          <input
                            className="input mono"
                            value={x.path}
                            onChange={(e) => upd({ path: e.target.value })}
                            data-testid="connector-metric-path"
                          />,
                        )}
                        {field(
                          `${mp}.scale`,
                          <span className="sr-only">{t('devices.connectors.dialog.scale')}</span>,
                          <input
                            className="input"
                            inputMode="decimal"
                            value={x.scale}
                            onChange={(e) => upd({ scale: e.target.value })}
                          />,
                        )}
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={t('devices.connectors.dialog.removeRow')}
                          onClick={() => setMapping(i, { metrics: m.metrics.filter((_, k) => k !== j) })}
                        >
                          ×
                        </button>
                      </div>
                    );
                  })}
                  <datalist id={metricsList}>
                    {kindMetrics.map((d) => (
                      <option key={d.key} value={d.key}>
                        {loc(d.label)}
                      </option>
                    ))}
                  </datalist>
                  <button
                    type="button"
                    className="button small ghost"
                    onClick={() => setMapping(i, { metrics: [...m.metrics, emptyMetric()] })}
                  >
                    {t('devices.connectors.dialog.addMetric')}
                  </button>
                </div>
              </div>
            );
          })}
          <button
            type="button"
            className="button small ghost"
            onClick={() => set({ mappings: [...draft.mappings, emptyMapping()] })}
          >
            {t('devices.connectors.dialog.addMapping')}
          </button>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('devices.connectors.dialog.limits')}</legend>
          <div className="form-grid three">
            {field(
              'unknownDevices',
              t('devices.connectors.dialog.unknownDevices'),
              <select
                className="input"
                value={draft.unknownDevices}
                onChange={(e) => set({ unknownDevices: e.target.value as ConnectorDraft['unknownDevices'] })}
              >
                <option value="quarantine">{t('devices.connectors.dialog.unknownQuarantine')}</option>
                <option value="register">{t('devices.connectors.dialog.unknownRegister')}</option>
              </select>,
            )}
            {field(
              'maxPastSec',
              t('devices.connectors.dialog.maxPastSec'),
              input('maxPastSec', { inputMode: 'numeric' }),
            )}
            {field(
              'maxFutureSec',
              t('devices.connectors.dialog.maxFutureSec'),
              input('maxFutureSec', { inputMode: 'numeric' }),
            )}
            {field(
              'maxPayloadBytes',
              t('devices.connectors.dialog.maxPayloadBytes'),
              input('maxPayloadBytes', { inputMode: 'numeric' }),
            )}
            {field(
              'maxMessagesPerSecond',
              t('devices.connectors.dialog.maxMessagesPerSecond'),
              input('maxMessagesPerSecond', { inputMode: 'numeric' }),
            )}
          </div>
        </fieldset>
      </form>
    </Modal>
  );
}

/** Paths that have a field of their own in the form; the core's other issues are listed on top. */
const PLACED =
  /^(name|url|clientId|username|password|tlsKey|tls\.(ca|cert)|keepaliveSec|subscriptions(\.\d+\.(topic|qos))?|mappings(\.\d+\.(topic|sn(\.path)?|kind|timestamp(\.(path|format))?|metrics(\.\d+\.(metric|path|scale))?))?|unknownDevices|maxPastSec|maxFutureSec|maxPayloadBytes|maxMessagesPerSecond)$/;

/**
 * A write-only secret: the stored value is never shown, only whether there is one ("已设置 / set"),
 * with controls to replace it or clear it. An untouched field keeps what is stored.
 */
function SecretField({
  label,
  stored,
  value,
  clear,
  multiline,
  onValue,
  onClear,
  error,
  testId,
}: {
  label: string;
  stored: boolean;
  value: string;
  clear: boolean;
  multiline?: boolean;
  onValue: (v: string) => void;
  onClear: (clear: boolean) => void;
  error?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const [replacing, setReplacing] = useState(!stored);
  const editor = multiline ? (
    <textarea
      className="input pem secret-input"
      rows={3}
      value={value}
      autoComplete="off"
      spellCheck={false}
      placeholder={stored ? '' : `${t('devices.connectors.secret.none')} · -----BEGIN PRIVATE KEY-----`}
      onChange={(e) => onValue(e.target.value)}
      data-testid={`${testId}-input`}
    />
  ) : (
    <input
      className="input"
      type="password"
      autoComplete="new-password"
      placeholder={stored ? '' : t('devices.connectors.secret.none')}
      value={value}
      onChange={(e) => onValue(e.target.value)}
      data-testid={`${testId}-input`}
    />
  );
  return (
    <div className={`field${multiline ? ' wide' : ''}${error ? ' has-error' : ''}`} data-testid={testId}>
      <span className="field-label">{label}</span>
      {stored && (
        <div className="secret-state">
          {clear ? (
            <span className="chip small warn-chip" data-testid={`${testId}-state`} data-state="clearing">
              {t('devices.connectors.secret.willClear')}
            </span>
          ) : (
            <span className="chip small on" data-testid={`${testId}-state`} data-state="set">
              {t('devices.connectors.secret.set')}
            </span>
          )}
          {!replacing && !clear && (
            <button
              type="button"
              className="button small ghost"
              onClick={() => setReplacing(true)}
              data-testid={`${testId}-replace`}
            >
              {t('devices.connectors.secret.replace')}
            </button>
          )}
          <button
            type="button"
            className="button small ghost"
            onClick={() => {
              onClear(!clear);
              setReplacing(false);
            }}
            data-testid={`${testId}-clear`}
          >
            {clear ? t('devices.connectors.secret.keep') : t('devices.connectors.secret.clear')}
          </button>
        </div>
      )}
      {replacing && !clear && editor}
      {stored && replacing && !clear && (
        <span className="muted small">{t('devices.connectors.secret.replaceHint')}</span>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

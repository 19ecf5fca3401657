import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode, type SimulatorStatus } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useLanguage } from '../../app/i18n';
import { useConfig, useSimulator, useStores } from '../../app/stores-context';
import { EmptyState, Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { fieldIssues, type AppError } from '../../stores/errors';
import {
  speedParts,
  validateStart,
  type StartDraft,
  type StartProblem,
} from '../../stores/simulator/simulator-store';
import './simulator.css';

const DEVICE_PRESETS = [2000, 10_000, 20_000] as const;
const SPEED_PRESETS = [60, 600, 3600] as const;
/** Shown in the empty state as typed, so they are not translated. */
const DEMO_COMMANDS = ['watchfloor serve --demo', 'watchfloor simulate'] as const;

type Field = keyof StartDraft;

/** Formats counts with the UI language's grouping (20,000). */
function useCount(): (n: number) => string {
  const language = useLanguage();
  return (n) => n.toLocaleString(language);
}

/** "60× — 1 模拟分钟/秒": the speed with the simulated time it covers per real second. */
function useSpeedText(): {
  full: (speed: number) => string;
  preview: (speed: number) => string;
} {
  const { t } = useTranslation();
  const unitText = (speed: number): { amount: number; unit: string } => {
    const { amount, unit } = speedParts(speed);
    const key = amount === 1 ? unit : (`${unit}s` as const);
    return { amount, unit: t(`simulator.unit.${key}`) };
  };
  return {
    full: (speed) => t('simulator.status.speedValue', { speed, ...unitText(speed) }),
    preview: (speed) => t('simulator.form.speedPreview', unitText(speed)),
  };
}

/** Devices page tab: the demo fleet simulator's live status, and starting or stopping it. */
export function SimulatorTab() {
  const { t } = useTranslation();
  const { simulator: store } = useStores();
  const status = useSimulator((s) => s.status);
  const loaded = useSimulator((s) => s.loaded);
  const loading = useSimulator((s) => s.loading);
  const error = useSimulator((s) => s.error);

  useEffect(() => {
    // Entering the tab fetches the status; the push keeps it current afterwards.
    void store.getState().load();
    return () => store.getState().clearErrors();
  }, [store]);

  const body = (() => {
    if (!loaded && error) {
      return (
        <div className="sim-load-error">
          <ErrorBanner
            error={error}
            onRetry={() => void store.getState().load()}
            testId="simulator-load-error"
          >
            <div>{t('simulator.loadError')}</div>
          </ErrorBanner>
        </div>
      );
    }
    if (!loaded || !status) return <Spinner label={t('common.loading')} />;
    if (!status.available) {
      return (
        <EmptyState
          testId="simulator-unavailable"
          title={t('simulator.unavailable')}
          hint={
            <>
              <p className="sim-unavailable-text">{t('simulator.unavailableHint')}</p>
              <div className="sim-commands">
                {DEMO_COMMANDS.map((c) => (
                  <code key={c} className="sim-command">
                    {c}
                  </code>
                ))}
              </div>
            </>
          }
          action={
            <button
              type="button"
              className="button"
              disabled={loading}
              onClick={() => void store.getState().load()}
              data-testid="simulator-recheck"
            >
              {t('simulator.recheck')}
            </button>
          }
        />
      );
    }
    return (
      <div className="sim-grid">
        <StatusCard status={status} />
        <StartForm status={status} />
      </div>
    );
  })();

  return (
    <div className="simulator-tab" data-testid="simulator-tab">
      <div className="toolbar devices-toolbar">
        <div className="toolbar-row">
          <span className="muted">{t('simulator.intro')}</span>
        </div>
      </div>
      {loaded && error && (
        <ErrorBanner
          error={error}
          onRetry={() => void store.getState().load()}
          testId="simulator-reload-error"
        />
      )}
      <div className="sim-body">{body}</div>
    </div>
  );
}

function StatusCard({ status }: { status: SimulatorStatus }) {
  const { t } = useTranslation();
  const tz = useConfig((s) => s.config?.timezone) ?? 'Asia/Shanghai';
  const rate = useSimulator((s) => s.publishRate);
  const count = useCount();
  const speedText = useSpeedText();
  const state = status.running ? 'running' : 'stopped';
  return (
    <section className={`sim-card sim-status ${state}`} aria-labelledby="sim-status-title">
      <header className="sim-card-head">
        <h2 id="sim-status-title" className="sim-card-title">
          {t('simulator.status.title')}
        </h2>
        <span className={`sim-state ${state}`} data-testid="sim-state" data-state={state} role="status">
          <span className="sim-dot" aria-hidden="true" />
          {t(`simulator.status.${state}`)}
        </span>
      </header>
      {!status.running && status.startedAt && (
        <div className="sim-caption muted small">{t('simulator.status.lastRun')}</div>
      )}
      <div className="sim-counters">
        <div className="sim-counter">
          <span className="sim-counter-label">{t('simulator.status.published')}</span>
          <span className="sim-counter-value" data-testid="sim-published" data-value={status.published}>
            {t('simulator.status.publishedValue', { formatted: count(status.published) })}
          </span>
          <span className="sim-counter-sub muted small" data-testid="sim-rate">
            {status.running && rate !== null
              ? t('simulator.status.rate', { formatted: count(Math.round(rate)) })
              : '\u00a0'}
          </span>
        </div>
        <div className="sim-counter" title={t('simulator.status.failuresHint')}>
          <span className="sim-counter-label">{t('simulator.status.failures')}</span>
          <span
            className={`sim-counter-value${status.failures > 0 ? ' warn' : ''}`}
            data-testid="sim-failures"
            data-value={status.failures}
          >
            {t('simulator.status.failuresValue', { formatted: count(status.failures) })}
          </span>
          <span className="sim-counter-sub muted small">{t('simulator.status.failuresHint')}</span>
        </div>
      </div>
      <dl className="sim-facts">
        <Fact label={t('simulator.status.devices')} testId="sim-devices" value={status.devices}>
          {t('simulator.status.devicesValue', { formatted: count(status.devices) })}
        </Fact>
        <Fact label={t('simulator.status.speed')} testId="sim-speed" value={status.speed}>
          {speedText.full(status.speed)}
        </Fact>
        <Fact label={t('simulator.status.seed')} testId="sim-seed" value={status.seed}>
          <span className="mono">{status.seed}</span>
        </Fact>
        <Fact label={t('simulator.status.broker')} testId="sim-broker">
          <span className="mono">{status.brokerUrl ?? '—'}</span>
        </Fact>
        <Fact label={t('simulator.status.startedAt')} testId="sim-started-at">
          {status.startedAt
            ? formatDateTime(status.startedAt, tz, { seconds: true })
            : t('simulator.status.notStarted')}
        </Fact>
        <Fact label={t('simulator.status.groundTruth')} testId="sim-ground-truth">
          {status.groundTruthFile ? (
            <GroundTruthPath path={status.groundTruthFile} />
          ) : (
            <span className="faint">{t('simulator.status.noGroundTruth')}</span>
          )}
        </Fact>
      </dl>
    </section>
  );
}

function Fact({
  label,
  testId,
  value,
  children,
}: {
  label: string;
  testId: string;
  value?: number;
  children: ReactNode;
}) {
  return (
    <div className="sim-fact">
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={value}>
        {children}
      </dd>
    </div>
  );
}

function GroundTruthPath({ path }: { path: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const pathRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (copied !== 'ok') return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async (): Promise<void> => {
    try {
      // The clipboard API needs a secure context: a hub opened over plain http on the LAN has none.
      await navigator.clipboard.writeText(path);
      setCopied('ok');
    } catch {
      // Select the path instead, so Ctrl+C copies it.
      const el = pathRef.current;
      if (el) window.getSelection()?.selectAllChildren(el);
      setCopied('failed');
    }
  };

  return (
    <div className="sim-path">
      <code ref={pathRef} className="sim-path-text" title={path}>
        {path}
      </code>
      <button
        type="button"
        className="button small"
        onClick={() => void copy()}
        data-testid="sim-copy-ground-truth"
      >
        {copied === 'ok' ? `✓ ${t('simulator.status.copied')}` : t('simulator.status.copy')}
      </button>
      {copied === 'failed' && (
        <span className="field-error" role="status">
          {t('simulator.status.copyFailed')}
        </span>
      )}
    </div>
  );
}

const draftOf = (s: SimulatorStatus): StartDraft => ({
  devices: String(s.devices),
  speed: String(s.speed),
  seed: String(s.seed),
});

function StartForm({ status }: { status: SimulatorStatus }) {
  const { t } = useTranslation();
  const { simulator: store } = useStores();
  const pending = useSimulator((s) => s.pending);
  const actionError = useSimulator((s) => s.actionError);
  const count = useCount();
  const speedText = useSpeedText();
  /** Null until the operator edits: until then the form mirrors the current (or last) run. */
  const [edited, setEdited] = useState<StartDraft | null>(null);
  /** Problems show once a start was attempted, then follow the typing. */
  const [checked, setChecked] = useState(false);
  const [lastAction, setLastAction] = useState<'start' | 'stop'>('start');

  const draft = edited ?? draftOf(status);
  const { params, problems } = validateStart(draft);
  const shown: Partial<Record<Field, StartProblem>> = checked ? problems : {};
  // The core's INVALID_ARGUMENT issues are keyed by the same paths (devices, speed, seed).
  const serverIssues = fieldIssues(actionError);
  const set = (field: Field, value: string): void => setEdited({ ...draft, [field]: value });

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    setChecked(true);
    if (Object.keys(problems).length > 0 || pending) return;
    setLastAction('start');
    if (await store.getState().start(params)) {
      setEdited(null);
      setChecked(false);
    }
  };
  const stop = (): void => {
    setLastAction('stop');
    void store.getState().stop();
  };

  const messageFor = (field: Field): string | undefined => {
    const problem = shown[field];
    return problem ? t(`simulator.problem.${problem}`) : serverIssues[field];
  };
  const speedValue = Number(draft.speed.replace(/[\s,，_]/g, ''));
  const busy = pending !== null;

  return (
    <section className="sim-card sim-form-card" aria-labelledby="sim-form-title">
      <header className="sim-card-head">
        <h2 id="sim-form-title" className="sim-card-title">
          {t('simulator.form.title')}
        </h2>
      </header>
      <form className="sim-form" onSubmit={(e) => void submit(e)} noValidate data-testid="sim-form">
        <FormField
          field="devices"
          label={t('simulator.form.devices')}
          hint={t('simulator.form.devicesHint')}
          message={messageFor('devices')}
          presetsLabel={t('simulator.form.devicesPresets')}
          presets={DEVICE_PRESETS.map((n) => ({
            value: n,
            label: t('simulator.form.devicesPreset', { formatted: count(n) }),
          }))}
          value={draft.devices}
          onChange={(v) => set('devices', v)}
          disabled={busy}
        />
        <FormField
          field="speed"
          label={t('simulator.form.speed')}
          hint={t('simulator.form.speedHint')}
          message={messageFor('speed')}
          presetsLabel={t('simulator.form.speedPresets')}
          presets={SPEED_PRESETS.map((n) => ({ value: n, label: `${n}×` }))}
          value={draft.speed}
          onChange={(v) => set('speed', v)}
          disabled={busy}
          preview={!problems.speed && Number.isFinite(speedValue) ? speedText.preview(speedValue) : undefined}
        />
        <FormField
          field="seed"
          label={t('simulator.form.seed')}
          hint={t('simulator.form.seedHint')}
          message={messageFor('seed')}
          value={draft.seed}
          onChange={(v) => set('seed', v)}
          disabled={busy}
        />

        {actionError && (
          <ErrorBanner
            error={actionError}
            onDismiss={() => store.getState().clearErrors()}
            testId="simulator-action-error"
          >
            <ActionErrorText action={lastAction} error={actionError} />
          </ErrorBanner>
        )}

        <div className="sim-actions">
          <div className="sim-notes">
            {checked && Object.keys(problems).length > 0 && (
              <span className="form-summary-error" data-testid="sim-fix-fields">
                {t('simulator.form.fixFields')}
              </span>
            )}
            {status.running && !busy && (
              <span className="muted small">{t('simulator.form.restartNote')}</span>
            )}
          </div>
          <button
            type="button"
            className="button danger"
            disabled={!status.running || busy}
            onClick={stop}
            data-testid="sim-stop"
          >
            {pending === 'stop' && <span className="spinner small" aria-hidden="true" />}
            {pending === 'stop' ? t('simulator.form.stopping') : t('simulator.form.stop')}
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={busy}
            aria-busy={pending === 'start'}
            data-testid="sim-start"
            data-pending={pending === 'start'}
          >
            {pending === 'start' && <span className="spinner small" aria-hidden="true" />}
            {pending === 'start'
              ? t('simulator.form.starting')
              : status.running
                ? t('simulator.form.restart')
                : t('simulator.form.start')}
          </button>
        </div>
      </form>
    </section>
  );
}

function ActionErrorText({ action, error }: { action: 'start' | 'stop'; error: AppError }) {
  const { t } = useTranslation();
  return (
    <div className="sim-error-text">
      <strong>{action === 'start' ? t('simulator.error.start') : t('simulator.error.stop')}</strong>
      {error.code === ErrorCode.Unavailable && <div>{t('simulator.error.unavailable')}</div>}
    </div>
  );
}

function FormField({
  field,
  label,
  hint,
  message,
  presets,
  presetsLabel,
  value,
  onChange,
  disabled,
  preview,
}: {
  field: Field;
  label: string;
  hint: string;
  message: string | undefined;
  presets?: { value: number; label: string }[];
  presetsLabel?: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  preview?: string;
}) {
  const id = `sim-field-${field}`;
  const current = Number(value.replace(/[\s,，_]/g, ''));
  return (
    <div className={`field sim-field${message ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="sim-field-row">
        {presets && (
          <div className="segmented sim-presets" role="group" aria-label={presetsLabel}>
            {presets.map((p) => (
              <button
                key={p.value}
                type="button"
                className={current === p.value ? 'active' : ''}
                aria-pressed={current === p.value}
                disabled={disabled}
                onClick={() => onChange(String(p.value))}
                data-testid={`sim-preset-${field}-${p.value}`}
              >
                {p.label}
              </button>
            ))}
          </div>
        )}
        <input
          id={id}
          className="input sim-input"
          inputMode={field === 'speed' ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={value}
          disabled={disabled}
          aria-invalid={message ? true : undefined}
          aria-describedby={`${id}-hint${message ? ` ${id}-error` : ''}`}
          onChange={(e) => onChange(e.target.value)}
          data-testid={id}
        />
        {preview && <span className="sim-preview">{preview}</span>}
      </div>
      {message ? (
        <span className="field-error" id={`${id}-error`} data-testid={`sim-error-${field}`}>
          {message}
        </span>
      ) : null}
      <span className="muted small" id={`${id}-hint`}>
        {hint}
      </span>
    </div>
  );
}

import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode, type Device } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useConfig, useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { fieldIssues } from '../../stores/errors';
import {
  draftFromDevice,
  emptyDeviceDraft,
  formIssues,
  mergeLatest,
  toDeviceFields,
  validateDeviceDraft,
  type DeviceDraft,
} from './device-draft';
import { useDeviceStores, useDevices } from './use-device-stores';
import { useFocusTrap } from './use-focus-trap';

/** Adds a device (`device` null) or edits one; the core's field errors show at their fields. */
export function DeviceDialog({ device, onClose }: { device: Device | null; onClose: () => void }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  useFocusTrap();
  const { fleet } = useStores();
  const { devices } = useDeviceStores();
  const kinds = useConfig((s) => s.config?.deviceKinds) ?? [];
  const saving = useDevices((s) => s.saving);
  const saveError = useDevices((s) => s.saveError);
  const creating = device === null;
  /** The version the edit started from (moves when the operator takes the latest after a CONFLICT). */
  const [base, setBase] = useState<Device | null>(device);
  const [draft, setDraft] = useState<DeviceDraft>(() =>
    device ? draftFromDevice(device) : emptyDeviceDraft(kinds[0]?.id ?? ''),
  );
  const [tried, setTried] = useState(false);
  const [gone, setGone] = useState(false);
  const [merged, setMerged] = useState(false);

  useEffect(() => () => devices.getState().clearErrors(), [devices]);

  const problems = useMemo(
    () =>
      validateDeviceDraft(draft, {
        creating,
        isTaken: (sn) => fleet.getState().indexBySn.has(sn),
      }),
    [draft, creating, fleet],
  );
  const server = useMemo(() => formIssues(fieldIssues(saveError), draft), [saveError, draft]);
  const conflict = saveError?.code === ErrorCode.Conflict;

  const messageFor = (path: string): string | undefined => {
    const p = problems[path];
    if (tried && p) return t(`devices.problem.${p}`);
    return server[path];
  };

  const set = <K extends keyof DeviceDraft>(key: K, value: DeviceDraft[K]): void => {
    setDraft((d) => ({ ...d, [key]: value }));
    setMerged(false);
  };

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0 || saving) return;
    const saved = await devices.getState().upsert(toDeviceFields(draft), gone ? undefined : base?.version);
    if (saved) onClose();
  };

  /** After a CONFLICT: the latest version, with the operator's own changes kept on top. */
  const takeLatest = async (): Promise<void> => {
    if (!base) return;
    const latest = await devices.getState().fetch(base.sn);
    if (!latest) {
      setGone(true);
      return;
    }
    setDraft((d) => mergeLatest(d, base, latest));
    setBase(latest);
    setMerged(true);
    devices.getState().clearErrors();
  };

  const field = (path: keyof DeviceDraft & string, label: string, input: ReactNode, required = false) => {
    const msg = messageFor(path);
    return (
      <label className={`field${msg ? ' has-error' : ''}`} data-field={path}>
        <span className={`field-label${required ? ' required' : ''}`}>{label}</span>
        {input}
        {msg && (
          <span className="field-error" data-testid={`field-error-${path}`}>
            {msg}
          </span>
        )}
      </label>
    );
  };
  const text = (path: 'sn' | 'site' | 'region' | 'lng' | 'lat' | 'model', extra: object = {}) => (
    <input
      className="input"
      value={draft[path]}
      onChange={(e) => set(path, e.target.value)}
      aria-invalid={!!messageFor(path)}
      data-testid={`device-field-${path}`}
      {...extra}
    />
  );

  const otherErrors = Object.entries(server).filter(
    ([p]) =>
      !['sn', 'kind', 'site', 'region', 'lng', 'lat', 'model', 'installDate'].includes(p) &&
      !p.startsWith('metadata'),
  );

  return (
    <Modal
      title={creating ? t('devices.dialog.addTitle') : t('devices.dialog.editTitle', { sn: device.sn })}
      onClose={onClose}
      width={640}
      testId="device-dialog"
      footer={
        <>
          {tried && Object.keys(problems).length > 0 && (
            <span className="form-summary-error">{t('devices.dialog.fixFields')}</span>
          )}
          <button type="button" className="button ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="device-form"
            className="button primary"
            disabled={saving || conflict}
            data-testid="device-save"
          >
            {saving ? t('common.saving') : gone ? t('devices.dialog.createAgain') : t('common.save')}
          </button>
        </>
      }
    >
      <form id="device-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        {conflict && (
          <ErrorBanner error={saveError} testId="device-conflict">
            <p className="small">{t('devices.dialog.conflictHint')}</p>
            <div className="error-actions">
              <button
                type="button"
                className="button small primary"
                onClick={() => void takeLatest()}
                data-testid="device-take-latest"
              >
                {t('devices.dialog.takeLatest')}
              </button>
            </div>
          </ErrorBanner>
        )}
        {gone && (
          <div className="notice" role="alert" data-testid="device-gone">
            <span>{t('devices.dialog.gone')}</span>
          </div>
        )}
        {merged && (
          <div className="notice ok" role="status" data-testid="device-merged">
            <span>{t('devices.dialog.merged', { version: base?.version ?? 0 })}</span>
          </div>
        )}
        {saveError && !conflict && saveError.code !== ErrorCode.InvalidArgument && (
          <ErrorBanner error={saveError} onDismiss={() => devices.getState().clearErrors()} />
        )}
        <div className="form-grid">
          {field(
            'sn',
            t('devices.col.sn'),
            text('sn', { readOnly: !creating, autoFocus: creating, 'data-autofocus': creating || undefined }),
            true,
          )}
          {field(
            'kind',
            t('devices.col.kind'),
            <select
              className="input"
              value={draft.kind}
              onChange={(e) => set('kind', e.target.value)}
              data-testid="device-field-kind"
              data-autofocus={!creating || undefined}
            >
              {!kinds.some((k) => k.id === draft.kind) && <option value={draft.kind}>{draft.kind}</option>}
              {kinds.map((k) => (
                <option key={k.id} value={k.id}>
                  {loc(k.name)}
                </option>
              ))}
            </select>,
            true,
          )}
          {field('site', t('devices.col.site'), text('site'), true)}
          {field('region', t('devices.col.region'), text('region'), true)}
          {field(
            'lng',
            t('devices.dialog.lng'),
            text('lng', { inputMode: 'decimal', placeholder: '118.79690' }),
          )}
          {field(
            'lat',
            t('devices.dialog.lat'),
            text('lat', { inputMode: 'decimal', placeholder: '32.06030' }),
          )}
          {field('model', t('devices.col.model'), text('model'))}
          {field(
            'installDate',
            t('devices.col.installDate'),
            <input
              className="input"
              type="date"
              value={draft.installDate}
              onChange={(e) => set('installDate', e.target.value)}
              data-testid="device-field-installDate"
            />,
          )}
          <div className="field wide">
            <span className="field-label">{t('devices.dialog.metadata')}</span>
            {draft.metadata.map((row, i) => {
              const msg = messageFor(`metadata.${i}`);
              return (
                <div key={i} className="meta-row" data-field={`metadata.${i}`}>
                  <input
                    className="input"
                    placeholder={t('devices.dialog.metaKey')}
                    aria-label={t('devices.dialog.metaKey')}
                    value={row.key}
                    onChange={(e) =>
                      set(
                        'metadata',
                        draft.metadata.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)),
                      )
                    }
                  />
                  <input
                    className="input"
                    placeholder={t('devices.dialog.metaValue')}
                    aria-label={t('devices.dialog.metaValue')}
                    value={row.value}
                    onChange={(e) =>
                      set(
                        'metadata',
                        draft.metadata.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)),
                      )
                    }
                  />
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('devices.dialog.metaRemove')}
                    onClick={() =>
                      set(
                        'metadata',
                        draft.metadata.filter((_, j) => j !== i),
                      )
                    }
                  >
                    ×
                  </button>
                  {msg && <span className="field-error">{msg}</span>}
                </div>
              );
            })}
            {messageFor('metadata') && <span className="field-error">{messageFor('metadata')}</span>}
            <div>
              <button
                type="button"
                className="button small ghost"
                onClick={() => set('metadata', [...draft.metadata, { key: '', value: '' }])}
              >
                {t('devices.dialog.metaAdd')}
              </button>
            </div>
          </div>
        </div>
        {otherErrors.length > 0 && (
          <ul className="field-error">
            {otherErrors.map(([p, m]) => (
              <li key={p}>
                <code>{p}</code> {m}
              </li>
            ))}
          </ul>
        )}
      </form>
    </Modal>
  );
}

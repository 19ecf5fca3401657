import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useConfig } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { validRows, type ImportFile, type ImportReport } from '../../stores/devices/devices-store';
import { decodeFileText, formatOf } from '../../stores/devices/import-chunks';
import { csvTemplate, downloadText, errorReportCsv, jsonTemplate } from './import-template';
import { useDeviceStores, useDevices } from './use-device-stores';
import { useFocusTrap } from './use-focus-trap';

/** At most this many error rows are drawn; the full report is a download. */
const SHOWN_ERRORS = 300;

export async function readImportFile(file: File): Promise<ImportFile> {
  const { text, encoding } = decodeFileText(await file.arrayBuffer());
  return { name: file.name, format: formatOf(file.name, text), content: text, encoding };
}

/**
 * Import from a CSV or JSON file: the file is checked first (a dry run over every chunk) and the
 * per-row report shown; only then are the valid rows imported, with progress for large files.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  useFocusTrap();
  const { devices } = useDeviceStores();
  const kind = useConfig((s) => s.config?.deviceKinds[0]?.id) ?? 'pv-inverter';
  const file = useDevices((s) => s.importFile);
  const phase = useDevices((s) => s.importPhase);
  const progress = useDevices((s) => s.importProgress);
  const check = useDevices((s) => s.checkReport);
  const done = useDevices((s) => s.importReport);
  const error = useDevices((s) => s.importError);
  const fileProblem = useDevices((s) => s.importFileProblem);
  const picker = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const running = phase === 'checking' || phase === 'importing';

  // Leaving the dialog stops a run after its chunk in flight and forgets the file.
  useEffect(
    () => () => {
      devices.getState().cancelImport();
      devices.getState().resetImport();
    },
    [devices],
  );

  const take = async (f: File | undefined): Promise<void> => {
    if (!f) return;
    setReadError(null);
    try {
      await devices.getState().pickImportFile(await readImportFile(f));
    } catch (err) {
      setReadError(err instanceof Error ? err.message : String(err));
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };

  const retry = (): void => {
    if (done) void devices.getState().runImport();
    else void devices.getState().checkImport();
  };

  const importable = check && !check.partial ? validRows(check) : 0;

  return (
    <Modal
      title={t('devices.import.title')}
      onClose={onClose}
      width={820}
      testId="import-dialog"
      className="import-modal"
      footer={
        <>
          <button
            type="button"
            className="button ghost small"
            onClick={() => downloadText('devices-template.csv', csvTemplate(kind), 'text/csv;charset=utf-8')}
            data-testid="import-template-csv"
          >
            {t('devices.import.templateCsv')}
          </button>
          <button
            type="button"
            className="button ghost small"
            onClick={() => downloadText('devices-template.json', jsonTemplate(kind), 'application/json')}
          >
            {t('devices.import.templateJson')}
          </button>
          <span className="spacer" />
          {running ? (
            <button
              type="button"
              className="button"
              onClick={() => devices.getState().cancelImport()}
              data-testid="import-cancel"
            >
              {t('devices.import.cancel')}
            </button>
          ) : phase === 'done' ? (
            <button type="button" className="button primary" onClick={onClose} data-testid="import-close">
              {t('common.close')}
            </button>
          ) : (
            <>
              <button type="button" className="button ghost" onClick={onClose}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button primary"
                disabled={phase !== 'checked' || importable === 0}
                onClick={() => void devices.getState().runImport()}
                data-testid="import-run"
              >
                {t('devices.import.run', { count: importable })}
              </button>
            </>
          )}
        </>
      }
    >
      <div
        className={`drop-zone${over ? ' over' : ''}${file ? ' compact' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="import-drop"
      >
        {file ? (
          <div className="import-file">
            <span className="mono" data-testid="import-file-name">
              {file.name}
            </span>
            <span className="chip small">{file.format.toUpperCase()}</span>
            {file.encoding === 'gb18030' && <span className="chip small">{t('devices.import.gb18030')}</span>}
          </div>
        ) : (
          <>
            <div className="drop-title">{t('devices.import.drop')}</div>
            <div className="muted small">{t('devices.import.columns')}</div>
          </>
        )}
        <button
          type="button"
          className="button small"
          disabled={running}
          onClick={() => picker.current?.click()}
          data-autofocus
        >
          {file ? t('devices.import.another') : t('devices.import.choose')}
        </button>
        <input
          ref={picker}
          type="file"
          accept=".csv,.json,.txt,text/csv,application/json"
          hidden
          data-testid="import-file-input"
          onChange={(e) => {
            void take(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>

      {readError && <p className="error-text">{readError}</p>}
      {fileProblem && (
        <p className="error-text" role="alert" data-testid="import-file-problem">
          {t(`devices.import.problem.${fileProblem.reason}`, { row: fileProblem.row ?? '' })}
        </p>
      )}
      {error && <ErrorBanner error={error} onRetry={retry} testId="import-error" />}

      {running && progress && (
        <div className="import-progress" data-testid="import-progress">
          <div className="progress-label">
            {t(phase === 'checking' ? 'devices.import.checking' : 'devices.import.importing')}{' '}
            {progress.rowsTotal !== null
              ? t('devices.import.rowsOf', { done: progress.rowsDone, total: progress.rowsTotal })
              : t('devices.import.chunksOf', { done: progress.chunksDone, total: progress.chunks })}
          </div>
          <progress
            max={progress.rowsTotal ?? progress.chunks}
            value={progress.rowsTotal !== null ? progress.rowsDone : progress.chunksDone}
          />
        </div>
      )}

      {done && <ReportSummary report={done} testId="import-result" />}
      {check && !done && <ReportSummary report={check} testId="import-check" />}
      {check && !done && check.errors.length > 0 && <ErrorTable report={check} />}
      {done && done.errors.length > 0 && <ErrorTable report={done} />}
    </Modal>
  );
}

function ReportSummary({ report, testId }: { report: ImportReport; testId: string }) {
  const { t } = useTranslation();
  const n = (key: 'rows' | 'created' | 'updated' | 'unchanged' | 'errorRows', tone = '') => (
    <div className={`import-count ${tone}`} data-testid={`${testId}-${key}`} data-value={report[key]}>
      <span className="import-count-value">{report[key].toLocaleString()}</span>
      <span className="import-count-label">
        {report.dryRun ? t(`devices.import.countDry.${key}`) : t(`devices.import.count.${key}`)}
      </span>
    </div>
  );
  return (
    <div className="import-report" data-testid={testId}>
      <div className="import-report-title">
        {report.dryRun ? t('devices.import.checkTitle') : t('devices.import.doneTitle')}
        {report.partial && <span className="chip small warn-chip">{t('devices.import.partial')}</span>}
      </div>
      <div className="import-counts">
        {n('rows')}
        {n('created', 'tone-ok')}
        {n('updated', 'tone-info')}
        {n('unchanged')}
        {n('errorRows', report.errorRows ? 'tone-danger' : '')}
      </div>
      {report.dryRun && report.errorRows > 0 && (
        <p className="muted small">{t('devices.import.skipNote', { count: report.errorRows })}</p>
      )}
    </div>
  );
}

function ErrorTable({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const shown = report.errors.slice(0, SHOWN_ERRORS);
  return (
    <div className="import-errors">
      <div className="import-errors-head">
        <span>{t('devices.import.errorsTitle', { count: report.errors.length })}</span>
        <button
          type="button"
          className="button small ghost"
          onClick={() =>
            downloadText('import-errors.csv', errorReportCsv(report.errors), 'text/csv;charset=utf-8')
          }
        >
          {t('devices.import.downloadErrors')}
        </button>
      </div>
      <div className="import-errors-scroll">
        <table className="data-table" data-testid="import-errors">
          <thead>
            <tr>
              <th>{t('devices.import.col.row')}</th>
              <th>{t('devices.col.sn')}</th>
              <th>{t('devices.import.col.path')}</th>
              <th>{t('devices.import.col.message')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => (
              <tr key={i} data-testid="import-error-row" data-row={e.row} data-path={e.path}>
                <td className="mono">{e.row}</td>
                <td className="mono">{e.sn ?? '—'}</td>
                <td>
                  <code>{e.path}</code>
                </td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.errors.length > shown.length && (
        <p className="muted small">
          {t('devices.import.moreErrors', { count: report.errors.length - shown.length })}
        </p>
      )}
    </div>
  );
}

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PredictConfigChange, PredictConfigSet } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { usePredict } from '../../stores/predict/use-predict';
import { ConfigEditor } from './ConfigEditor';
import { exportText, parseImport, type ImportResult } from './config-draft';
import { ImportDialog } from './ImportDialog';
import { KnowledgeOverview } from './KnowledgeOverview';
import './predict-config.css';

const SECTIONS = ['knowledge', 'sops', 'parts', 'depots', 'engineers', 'dispatch', 'weather'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * 预测配置: the editable dispatch settings and weather source beside a read-only overview of the
 * knowledge graph, depots and engineers, with JSON export/import and the change log. The quality
 * page's loading of the prediction data also loads this (`watchQuality`).
 */
export function PredictConfigPanel({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const slot = usePredict((s) => s.predictConfig);
  const set = slot.data;
  const fileInput = useRef<HTMLInputElement>(null);
  const [imported, setImported] = useState<{ name: string; result: ImportResult } | null>(null);
  const [importedVersion, setImportedVersion] = useState<number | null>(null);
  // A new key remounts the editor after an import, so its draft starts from what was imported.
  const [editorKey, setEditorKey] = useState(0);

  const download = (s: PredictConfigSet) => {
    const { name, text } = exportText(s);
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const readFile = async (file: File) => {
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      setImported({
        name: file.name,
        result: {
          ok: false,
          issues: [{ path: '(file)', message: err instanceof Error ? err.message : String(err) }],
        },
      });
      return;
    }
    setImportedVersion(null);
    setImported({ name: file.name, result: parseImport(text) });
  };

  return (
    <div className="pc-layout" data-testid="predict-config" data-version={set?.version ?? ''}>
      <div className="pc-side">
        <section className="q-panel" data-testid="config-panel">
          <h3 className="q-panel-title">
            {t('predict.config.title')}
            {set && (
              <span className="muted small mono" data-testid="config-version">
                {t('predict.config.version', { version: set.version })}
              </span>
            )}
            <span className="toolbar-spacer" />
            {set && (
              <>
                <button
                  type="button"
                  className="button small"
                  data-testid="config-export"
                  title={t('predict.config.exportTitle')}
                  onClick={() => download(set)}
                >
                  {t('predict.config.export')}
                </button>
                <button
                  type="button"
                  className="button small"
                  data-testid="config-import"
                  title={t('predict.config.importTitle')}
                  onClick={() => fileInput.current?.click()}
                >
                  {t('predict.config.import')}
                </button>
                <input
                  ref={fileInput}
                  type="file"
                  accept="application/json,.json"
                  hidden
                  data-testid="config-import-input"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    e.target.value = '';
                    if (file) void readFile(file);
                  }}
                />
              </>
            )}
          </h3>
          <p className="muted small q-hint">{t('predict.config.hint')}</p>
          {slot.loading && !set && <Spinner label={t('common.loading')} />}
          {slot.error && (
            <ErrorBanner
              error={slot.error}
              onRetry={() => void predict.getState().loadPredictConfig()}
              testId="config-load-error"
            />
          )}
          {importedVersion !== null && set?.version === importedVersion && (
            <p className="ok-text small" data-testid="config-import-saved">
              {t('predict.config.importSaved', { version: importedVersion })}
            </p>
          )}
          {set && <ConfigEditor key={editorKey} set={set} />}
        </section>
        {set && <ChangeLog changes={set.changes} timeZone={timeZone} />}
      </div>
      <div className="pc-main">{set && <KnowledgeOverview config={set.config} />}</div>
      {set && imported && (
        <ImportDialog
          set={set}
          fileName={imported.name}
          result={imported.result}
          onClose={() => setImported(null)}
          onSaved={(version) => {
            setImported(null);
            setImportedVersion(version);
            setEditorKey((k) => k + 1);
          }}
        />
      )}
    </div>
  );
}

function ChangeLog({ changes, timeZone }: { changes: PredictConfigChange[]; timeZone: string }) {
  const { t } = useTranslation();
  const sectionName = (s: string) =>
    (SECTIONS as readonly string[]).includes(s) ? t(`predict.config.sections.${s as Section}`) : s;
  return (
    <section className="q-panel q-changes" data-testid="config-changes">
      <h3 className="q-panel-title">{t('predict.config.changes')}</h3>
      {changes.length === 0 ? (
        <p className="muted small" data-testid="config-changes-empty">
          {t('predict.config.noChanges')}
        </p>
      ) : (
        <ul className="card-list">
          {[...changes]
            .sort((a, b) => b.version - a.version)
            .map((c) => (
              <li key={c.version} data-testid="config-change" data-version={c.version}>
                <div className="muted small">
                  {t('predict.config.changeBy', {
                    version: c.version,
                    who: c.actor.name,
                    at: formatDateTime(c.at, timeZone),
                  })}
                </div>
                <div className="q-change-note">{c.note}</div>
                <div className="small">
                  {c.sections.map((s) => (
                    <span key={s} className="chip small" data-section={s}>
                      {sectionName(s)}
                    </span>
                  ))}
                </div>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

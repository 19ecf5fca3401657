import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode } from '@shared/contract';
import { DEFAULT_TAXONOMY, taxonomyLeaves } from '@shared/domain';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useConfig, useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { fieldIssues, issueFor } from '../../stores/errors';
import { useHotline } from '../../stores/hotline/use-hotline';
import {
  draftOf,
  emptyRow,
  isDirty,
  localIssues,
  rowsOf,
  thresholdOf,
  type DraftRow,
  type MatrixDraft,
} from './matrix-draft';

/** Category prefixes a row may name: every level-1, level-2 and leaf path of the taxonomy. */
const CATEGORY_PATHS = [
  ...new Set(
    taxonomyLeaves(DEFAULT_TAXONOMY).flatMap((l) => [l.names[0], `${l.names[0]}/${l.names[1]}`, l.path]),
  ),
];

/**
 * The responsibility matrix as a table: category prefix × district/street/cell → one department, or
 * two for a joint responsibility. Saved as a whole against the loaded version with a change note; the
 * server's issues show on their rows, and a conflict keeps the draft.
 */
export function MatrixEditor({
  draft: held,
  onDraft,
  notice,
}: {
  draft: MatrixDraft | null;
  onDraft: (d: MatrixDraft | null) => void;
  notice: string | null;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { hotline } = useStores();
  const matrix = useHotline((s) => s.matrix);
  const saving = useHotline((s) => s.savingMatrix);
  const saveError = useHotline((s) => s.matrixSaveError);
  const departments = useConfig((s) => s.config?.directory.departments ?? []);
  const timeZone = useConfig((s) => s.config?.timezone ?? 'Asia/Shanghai');
  const [note, setNote] = useState('');
  const [filter, setFilter] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const [tried, setTried] = useState(false);
  const data = matrix.data;
  const draft = useMemo(() => held ?? (data ? draftOf(data) : null), [held, data]);

  const deptNames = useMemo(() => new Map(departments.map((d) => [d.id, loc(d.name)])), [departments, loc]);

  if (!data || !draft) {
    if (matrix.error)
      return (
        <ErrorBanner
          error={matrix.error}
          onRetry={() => void hotline.getState().loadMatrix()}
          testId="matrix-error"
        />
      );
    return <Spinner label={t('common.loading')} />;
  }

  const dirty = isDirty(draft, data) || draft.baseVersion !== data.version;
  const local = localIssues(draft);
  const server = fieldIssues(saveError);
  const issueOf = (path: string): string | undefined =>
    (tried ? issueFor(local, path) : undefined) ?? issueFor(server, path);
  const conflict = saveError?.code === ErrorCode.Conflict;

  const edit = (next: MatrixDraft): void => {
    setSaved(null);
    onDraft(next);
  };
  const setRow = (id: string, patch: Partial<DraftRow>): void =>
    edit({ ...draft, rows: draft.rows.map((r) => (r.id === id ? { ...r, ...patch } : r)) });

  const save = async (): Promise<void> => {
    setTried(true);
    const threshold = thresholdOf(draft);
    if (Object.keys(local).length || threshold === null || !note.trim()) return;
    const ok = await hotline.getState().saveMatrix(rowsOf(draft), threshold, note.trim());
    if (ok) {
      setSaved(hotline.getState().matrix.data?.version ?? null);
      setNote('');
      setTried(false);
      onDraft(null);
    }
  };

  const q = filter.trim().toLowerCase();
  const shown = draft.rows
    .map((r, i) => ({ r, i }))
    .filter(
      ({ r }) =>
        !q ||
        r.category.toLowerCase().includes(q) ||
        [r.dept1, r.dept2].some(
          (d) => d && (d.toLowerCase().includes(q) || (deptNames.get(d) ?? '').includes(q)),
        ),
    );

  const deptSelect = (row: DraftRow, which: 'dept1' | 'dept2', label: string) => (
    <select
      className="input small"
      aria-label={label}
      value={row[which]}
      onChange={(e) => setRow(row.id, { [which]: e.target.value })}
    >
      <option value="">{which === 'dept1' ? '—' : t('hotline.matrix.noSecond')}</option>
      {/* A department the directory no longer has stays visible, so the issue can be read and fixed. */}
      {row[which] && !deptNames.has(row[which]) && <option value={row[which]}>{row[which]}</option>}
      {departments.map((d) => (
        <option key={d.id} value={d.id}>
          {loc(d.name)}
        </option>
      ))}
    </select>
  );

  return (
    <div className="hk-matrix" data-testid="matrix-editor" data-version={data.version} data-dirty={dirty}>
      <div className="hk-matrix-bar">
        <strong>{t('hotline.matrix.title')}</strong>
        <span className="muted small">{t('hotline.matrix.version', { version: data.version })}</span>
        <span className="muted small">{t('hotline.matrix.rows', { count: draft.rows.length })}</span>
        <label className="hk-inline" title={t('hotline.matrix.thresholdHint')}>
          <span>{t('hotline.matrix.threshold')}</span>
          <input
            className={`input small hk-threshold${issueOf('doubleDispatchBelow') ? ' invalid' : ''}`}
            data-testid="matrix-threshold"
            value={draft.threshold}
            inputMode="decimal"
            onChange={(e) => edit({ ...draft, threshold: e.target.value })}
          />
        </label>
        <input
          className="input small hk-filter"
          placeholder={t('hotline.matrix.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="spacer" />
        {dirty && <span className="triage-warn small">{t('hotline.matrix.dirty')}</span>}
        <button
          type="button"
          className="button small"
          data-testid="matrix-add"
          onClick={() => edit({ ...draft, rows: [...draft.rows, emptyRow(draft.rows)] })}
        >
          + {t('hotline.matrix.add')}
        </button>
      </div>

      {notice && dirty && <div className="hk-notice small">{notice}</div>}
      {saved !== null && (
        <div className="hk-saved small" data-testid="matrix-saved">
          ✓ {t('hotline.matrix.saved', { version: saved })}
        </div>
      )}
      {saveError && (
        <ErrorBanner
          error={saveError}
          testId="matrix-save-error"
          onDismiss={() => hotline.getState().clearMatrixSaveError()}
          onReload={
            conflict
              ? () => {
                  hotline.getState().clearMatrixSaveError();
                  onDraft(null);
                  void hotline.getState().loadMatrix();
                }
              : undefined
          }
        >
          <div className="small">{conflict ? t('hotline.matrix.conflict') : t('hotline.matrix.issues')}</div>
          {!conflict && Object.keys(server).length > 0 && (
            <ul className="hk-issues small">
              {Object.entries(server).map(([path, message]) => (
                <li key={path}>
                  <span className="mono">{path}</span> {message}
                </li>
              ))}
            </ul>
          )}
        </ErrorBanner>
      )}

      <div className="hk-table-wrap hk-matrix-table">
        <table className="hk-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('hotline.matrix.col.category')}</th>
              <th>{t('hotline.matrix.col.district')}</th>
              <th>{t('hotline.matrix.col.street')}</th>
              <th>{t('hotline.matrix.col.cell')}</th>
              <th>{t('hotline.matrix.col.departments')}</th>
              <th>{t('hotline.matrix.col.note')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.rows.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  {t('hotline.matrix.empty')}
                </td>
              </tr>
            )}
            {shown.map(({ r, i }) => {
              const rowIssue = issueOf(`rows.${i}`);
              const cls = (field: string): string =>
                `input small${issueOf(`rows.${i}.${field}`) ? ' invalid' : ''}`;
              return (
                <tr
                  key={r.id}
                  data-testid="matrix-row"
                  data-row-id={r.id}
                  className={rowIssue ? 'has-issue' : ''}
                >
                  <td className="muted mono">{i + 1}</td>
                  <td>
                    <input
                      className={cls('category')}
                      list="matrix-categories"
                      value={r.category}
                      title={issueOf(`rows.${i}.category`)}
                      onChange={(e) => setRow(r.id, { category: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className={`${cls('district')} hk-place`}
                      value={r.district}
                      placeholder={t('hotline.matrix.any')}
                      title={issueOf(`rows.${i}.district`)}
                      onChange={(e) => setRow(r.id, { district: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className={`${cls('street')} hk-place`}
                      value={r.street}
                      placeholder={t('hotline.matrix.any')}
                      title={issueOf(`rows.${i}.street`)}
                      onChange={(e) => setRow(r.id, { street: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className={`${cls('cellId')} hk-place mono`}
                      value={r.cellId}
                      placeholder={t('hotline.matrix.any')}
                      title={issueOf(`rows.${i}.cellId`)}
                      onChange={(e) => setRow(r.id, { cellId: e.target.value })}
                    />
                  </td>
                  <td className={`hk-depts${issueOf(`rows.${i}.departmentIds`) ? ' invalid' : ''}`}>
                    {deptSelect(r, 'dept1', t('hotline.matrix.col.departments'))}
                    {deptSelect(r, 'dept2', t('hotline.matrix.secondDept'))}
                  </td>
                  <td>
                    <input
                      className={cls('note')}
                      value={r.note}
                      maxLength={200}
                      onChange={(e) => setRow(r.id, { note: e.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button ghost small"
                      aria-label={t('hotline.matrix.remove')}
                      title={t('hotline.matrix.remove')}
                      onClick={() => edit({ ...draft, rows: draft.rows.filter((x) => x.id !== r.id) })}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <datalist id="matrix-categories">
          {CATEGORY_PATHS.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </div>

      <div className="hk-matrix-save">
        <label className="hk-inline hk-note">
          <span>{t('hotline.matrix.note')}</span>
          <input
            className={`input small${tried && !note.trim() ? ' invalid' : ''}`}
            data-testid="matrix-note"
            value={note}
            maxLength={500}
            placeholder={t('hotline.matrix.notePlaceholder')}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="button ghost small"
          disabled={!dirty || saving}
          onClick={() => {
            hotline.getState().clearMatrixSaveError();
            setTried(false);
            onDraft(null);
          }}
        >
          {t('hotline.matrix.discard')}
        </button>
        <button
          type="button"
          className="button primary small"
          data-testid="matrix-save"
          disabled={!dirty || saving}
          onClick={() => void save()}
        >
          {saving ? t('hotline.matrix.saving') : t('hotline.matrix.save')}
        </button>
      </div>

      {data.changes.length > 0 && (
        <div className="hk-history small">
          <div className="muted">{t('hotline.matrix.history')}</div>
          {data.changes
            .slice(-5)
            .reverse()
            .map((c) => (
              <div key={c.version}>
                <span className="mono">v{c.version}</span> {formatDateTime(c.at, timeZone)} {c.actor.name} —{' '}
                {c.note}
              </div>
            ))}
        </div>
      )}
    </div>
  );
}

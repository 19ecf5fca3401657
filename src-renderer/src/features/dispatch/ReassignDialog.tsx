import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigDocument, DispatchState, Ticket } from '@shared/contract';
import { DEFAULT_TAXONOMY, taxonomyLeaves } from '@shared/domain';
import { useLocalize } from '../../app/i18n';
import { useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormModal } from '../../components/FormModal';
import { fieldIssues, issueFor } from '../../stores/errors';
import {
  currentDepartment,
  reassignTargets,
  searchLeaves,
  validateReassign,
  type ReassignDraft,
} from '../../stores/hotline/dispatch-model';
import { useHotline } from '../../stores/hotline/use-hotline';
import { useFocusTrap } from '../devices/use-focus-trap';
import { useDepartmentName } from './use-department-name';

const LEAVES = taxonomyLeaves(DEFAULT_TAXONOMY);
const LEAF_PATHS = LEAVES.map((l) => l.path);
const QUICK_REASONS = ['notOurs', 'wrongPlace', 'wrongCategory', 'joint'] as const;

/**
 * 改派: the agent sends a citizen request to another department with a reason and, when the
 * request was misclassified too, the right category (the ticket takes it, and the misroute
 * becomes a training row). The hub's refusals are shown here, next to their field when they name one.
 */
export function ReassignDialog({
  ticket,
  dispatch,
  config,
  onClose,
}: {
  ticket: Ticket;
  dispatch: DispatchState;
  config: ConfigDocument;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { hotline, detail } = useStores();
  useFocusTrap();
  const nameOf = useDepartmentName();
  const busy = useHotline((s) => s.dispatchBusy === 'reassign');
  const error = useHotline((s) => (s.dispatchError?.command === 'reassign' ? s.dispatchError.error : null));
  const targets = useMemo(
    () => reassignTargets(dispatch, config.directory.departments),
    [dispatch, config.directory.departments],
  );
  const current = currentDepartment(dispatch);
  const [draft, setDraft] = useState<ReassignDraft>({ departmentId: '', reason: '', category: '' });
  const [touched, setTouched] = useState(false);
  const problems = validateReassign(draft, LEAF_PATHS);
  const issues = fieldIssues(error);
  const shown = {
    departmentId: issueFor(issues, 'departmentId'),
    reason: issueFor(issues, 'reason'),
    category: issueFor(issues, 'category'),
  };
  const patch = (p: Partial<ReassignDraft>): void => {
    setDraft((d) => ({ ...d, ...p }));
    if (error) hotline.getState().clearDispatchError();
  };

  const close = (): void => {
    // A refused reassignment's error must not greet the next opening.
    hotline.getState().clearDispatchError();
    onClose();
  };

  const submit = async (): Promise<void> => {
    setTouched(true);
    if (Object.keys(problems).length || busy) return;
    const ok = await hotline.getState().reassignDispatch({
      departmentId: draft.departmentId,
      reason: draft.reason,
      category: draft.category.trim() || undefined,
    });
    if (!ok) return;
    onClose();
    // The ticket's assignee, status (and category) changed with it.
    void detail.getState().reload();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  const problemText = {
    departmentRequired: t('hotline.dispatch.dialog.departmentRequired'),
    reasonRequired: t('hotline.dispatch.dialog.reasonRequired'),
    reasonTooLong: t('hotline.dispatch.dialog.reasonTooLong'),
    categoryUnknown: t('hotline.dispatch.dialog.categoryUnknown'),
  };

  return (
    <FormModal
      title={t('hotline.dispatch.dialog.title', { number: ticket.number })}
      onClose={close}
      width={560}
      testId="reassign-dialog"
      formId="reassign-form"
      onSubmit={() => void submit()}
      submitTestId="reassign-submit"
      submitDisabled={busy}
      submitLabel={busy ? t('hotline.dispatch.dialog.working') : t('hotline.dispatch.dialog.submit')}
      footerNote={<span className="muted small ds-footer-note">{t('hotline.dispatch.dialog.keys')}</span>}
    >
      <div className="ds-dialog" onKeyDown={onKeyDown}>
        <p className="ds-dialog-current muted">
          {t('hotline.dispatch.dialog.current', {
            name: current
              ? nameOf(current)
              : dispatch.departments
                  .filter((d) => d.state === 'pending')
                  .map((d) => nameOf(d.departmentId))
                  .join(' + '),
          })}
          {' · '}
          {t('hotline.dispatch.dialog.currentCategory', { category: dispatch.chosen.category || '—' })}
        </p>
        <label
          className={`field${(touched && problems.departmentId) || shown.departmentId ? ' has-error' : ''}`}
        >
          <span className="field-label required">{t('hotline.dispatch.dialog.department')}</span>
          <select
            className="input"
            data-testid="reassign-department"
            value={draft.departmentId}
            data-autofocus
            onChange={(e) => patch({ departmentId: e.target.value })}
          >
            <option value="">{t('hotline.dispatch.dialog.choose')}</option>
            {targets.map((d) => (
              <option key={d.id} value={d.id}>
                {loc(d.name)}
              </option>
            ))}
          </select>
          {touched && problems.departmentId && (
            <span className="field-error" data-testid="reassign-error-department">
              {problemText[problems.departmentId]}
            </span>
          )}
          {shown.departmentId && (
            <span className="field-error" data-testid="reassign-issue-department">
              {shown.departmentId}
            </span>
          )}
        </label>

        <div className={`field${(touched && problems.reason) || shown.reason ? ' has-error' : ''}`}>
          <label className="field-label required" htmlFor="reassign-reason">
            {t('hotline.dispatch.dialog.reason')}
          </label>
          <div className="ds-quick" role="group" aria-label={t('hotline.dispatch.dialog.quick')}>
            {QUICK_REASONS.map((k) => {
              const text = t(`hotline.dispatch.dialog.quickReasons.${k}`);
              return (
                <button
                  key={k}
                  type="button"
                  className={`button small ds-quick-reason${draft.reason === text ? ' on' : ''}`}
                  data-testid="reassign-quick-reason"
                  aria-pressed={draft.reason === text}
                  onClick={() => patch({ reason: text })}
                >
                  {text}
                </button>
              );
            })}
          </div>
          <textarea
            id="reassign-reason"
            className="input"
            data-testid="reassign-reason"
            rows={2}
            maxLength={500}
            placeholder={t('hotline.dispatch.dialog.reasonPlaceholder')}
            value={draft.reason}
            onChange={(e) => patch({ reason: e.target.value })}
          />
          {touched && problems.reason && (
            <span className="field-error" data-testid="reassign-error-reason">
              {problemText[problems.reason]}
            </span>
          )}
          {shown.reason && (
            <span className="field-error" data-testid="reassign-issue-reason">
              {shown.reason}
            </span>
          )}
        </div>

        <CategoryPicker
          value={draft.category}
          onChange={(category) => patch({ category })}
          error={
            (touched && problems.category ? problemText[problems.category] : undefined) ?? shown.category
          }
        />

        {error && !shown.departmentId && !shown.reason && !shown.category && (
          <ErrorBanner
            error={error}
            onDismiss={() => hotline.getState().clearDispatchError()}
            testId="reassign-error"
          />
        )}
      </div>
    </FormModal>
  );
}

/** A searchable pick of the taxonomy's third-level paths (type words, ↑↓ to move, Enter to take). */
function CategoryPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const exact = LEAF_PATHS.includes(value);
  const matches = useMemo(() => (exact ? [] : searchLeaves(LEAVES, value, 8)), [value, exact]);
  const showList = open && value.trim() !== '' && !exact;

  const take = (path: string): void => {
    onChange(path);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (!showList || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = matches.length;
      if (n) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter' && matches[active]) {
      e.preventDefault();
      take(matches[active].path);
    } else if (e.key === 'Escape') {
      // The list closes first; the dialog on the next Escape.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className={`field ds-category-field${error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={`${listId}-input`}>
        {t('hotline.dispatch.dialog.category')}
      </label>
      <div className="ds-combo">
        <input
          id={`${listId}-input`}
          className="input"
          data-testid="reassign-category"
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && matches[active] ? `${listId}-${active}` : undefined}
          autoComplete="off"
          maxLength={200}
          placeholder={t('hotline.dispatch.dialog.categoryPlaceholder')}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {value && (
          <button
            type="button"
            className="button small ghost ds-combo-clear"
            data-testid="reassign-category-clear"
            onClick={() => onChange('')}
          >
            {t('hotline.dispatch.dialog.categoryClear')}
          </button>
        )}
      </div>
      {showList && (
        <ul className="ds-combo-list" id={listId} role="listbox" data-testid="reassign-category-options">
          {matches.length === 0 && (
            <li className="ds-combo-empty muted">{t('hotline.dispatch.dialog.categoryNone')}</li>
          )}
          {matches.map((leaf, i) => (
            <li
              key={leaf.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`ds-combo-option${i === active ? ' active' : ''}`}
              data-testid="reassign-category-option"
              data-path={leaf.path}
              // Before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                take(leaf.path);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span>{leaf.path}</span>
              <span className="muted small">{leaf.pathEn}</span>
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <span className="field-error" data-testid="reassign-error-category">
          {error}
        </span>
      ) : (
        <span className="muted small">{t('hotline.dispatch.dialog.categoryHint')}</span>
      )}
    </div>
  );
}

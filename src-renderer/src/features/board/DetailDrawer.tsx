import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ErrorCode,
  type Assignee,
  type ConfigDocument,
  type Ticket,
  type WorkflowTransition,
} from '@shared/contract';
import { transitionsFrom, workflowOfType } from '@shared/domain';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useDetail, useStores } from '../../app/stores-context';
import { AssigneePicker } from '../../components/AssigneePicker';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useFieldText } from '../../components/FieldInput';
import { PriorityBadge } from '../../components/PriorityBadge';
import { SlaCountdown } from '../../components/SlaCountdown';
import { StatusBadge } from '../../components/StatusBadge';
import { TypeBadge } from '../../components/TypeBadge';
import { allowedFromError, fieldIssues } from '../../stores/errors';
import { DispatchSection } from '../dispatch/DispatchSection';
import { PredictionPanel } from '../prediction/PredictionPanel';
import { isPreventiveTicket } from '../prediction/prediction-format';
import { CommentsSection } from './CommentsSection';
import { HistoryTimeline } from './HistoryTimeline';
import { LinksSection } from './LinksSection';
import {
  changedCustomFields,
  draftFromTicket,
  draftIsDirty,
  patchFromDraft,
  rebaseDraft,
  validateDraft,
  type TicketDraft,
} from './ticket-draft';
import { TicketFormFields, useProblemText } from './TicketFormFields';
import { TransitionDialog } from './TransitionDialog';
import { useTicketLabels } from './use-ticket-labels';

export function DetailDrawer({ config }: { config: ConfigDocument }) {
  const { t } = useTranslation();
  const { detail } = useStores();
  const openId = useDetail((s) => s.openId);
  const ticket = useDetail((s) => s.ticket);
  const loading = useDetail((s) => s.loading);
  const error = useDetail((s) => s.error);
  if (!openId) return null;
  return (
    <aside
      className="drawer"
      data-testid="detail-drawer"
      data-number={ticket?.number ?? ''}
      aria-label={t('detail.title')}
    >
      {!ticket && loading && <Spinner label={t('common.loading')} />}
      {!ticket && error && (
        <div className="drawer-pad">
          <ErrorBanner
            error={error}
            onRetry={() => void detail.getState().reload()}
            onDismiss={() => detail.getState().close()}
          />
        </div>
      )}
      {ticket && <TicketDetail ticket={ticket} config={config} />}
    </aside>
  );
}

function TicketDetail({ ticket, config }: { ticket: Ticket; config: ConfigDocument }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { detail, predict } = useStores();
  const labels = useTicketLabels();
  const busy = useDetail((s) => s.busy);
  const stale = useDetail((s) => s.stale);
  const actionError = useDetail((s) => s.actionError);
  // In the store, so everything that closes or replaces the drawer can ask before a draft is lost;
  // opening another ticket leaves edit mode there, a live update of this one keeps it.
  const editing = useDetail((s) => s.editing);
  const [pending, setPending] = useState<WorkflowTransition | null>(null);
  const type = labels.type(ticket.typeId);
  const status = labels.status(ticket.typeId, ticket.status);
  const workflow = workflowOfType(config, ticket.typeId);
  const transitions = workflow ? transitionsFrom(workflow, ticket.status) : [];

  const preventive = isPreventiveTicket(ticket);
  const startTransition = (tr: WorkflowTransition) => {
    // A preventive ticket is resolved with its outcome (fault confirmed / none found / other).
    if (preventive && workflow?.states.find((s) => s.id === tr.to)?.category === 'resolved')
      predict.getState().openOutcome(ticket.id);
    else if (tr.requiresNote || (tr.requiresAssignee && !ticket.assignee)) setPending(tr);
    else void detail.getState().transition(tr.to);
  };

  const allowed = allowedFromError(actionError?.error);
  // While editing, the form shows its own save errors (field issues, a conflict with its merge).
  const showBanner = actionError && !(editing && actionError.action === 'update') && !pending;

  return (
    <>
      <header className="drawer-header">
        <div className="drawer-title-row">
          <span className="mono drawer-number" data-testid="detail-number">
            {ticket.number}
          </span>
          <PriorityBadge priority={ticket.priority} />
          <TypeBadge type={type} fallback={ticket.typeId} />
          <StatusBadge label={status.label} category={status.category} />
          <span className="spacer" />
          {stale && <span className="stale-mark">{t('detail.stale')}</span>}
          <button
            type="button"
            className="icon-button"
            data-testid="detail-close"
            aria-label={t('common.close')}
            title={`${t('common.close')} (Esc)`}
            onClick={() => detail.getState().requestClose()}
          >
            ×
          </button>
        </div>
        <h2 className="drawer-title" data-testid="detail-title">
          {ticket.title}
        </h2>
        <div className="transition-bar" data-testid="transition-bar">
          {transitions.map((tr) => (
            <button
              key={`${tr.to}-${loc(tr.label)}`}
              type="button"
              className={`button small transition to-${workflow?.states.find((s) => s.id === tr.to)?.category ?? 'x'}`}
              data-testid="transition-button"
              data-to={tr.to}
              disabled={!!busy || editing}
              onClick={() => startTransition(tr)}
              title={[
                tr.requiresNote ? t('transition.needsNote') : '',
                tr.requiresAssignee && !ticket.assignee ? t('transition.needsAssignee') : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            >
              {loc(tr.label)}
              {(tr.requiresNote || (tr.requiresAssignee && !ticket.assignee)) && (
                <span className="dots">…</span>
              )}
            </button>
          ))}
          {transitions.length === 0 && <span className="muted small">{t('transition.none')}</span>}
          <span className="spacer" />
          {!editing && (
            <button
              type="button"
              className="button small"
              data-testid="edit-button"
              disabled={!!busy}
              onClick={() => detail.getState().startEditing()}
            >
              {t('detail.edit')}
            </button>
          )}
        </div>
        {showBanner && actionError && (
          <ErrorBanner
            error={actionError.error}
            onReload={() => {
              detail.getState().clearActionError();
              void detail.getState().reload();
            }}
            onDismiss={() => detail.getState().clearActionError()}
            testId="detail-error"
          >
            {allowed.length > 0 && (
              <div className="allowed-list" data-testid="allowed-transitions">
                {t('errors.allowedAre')}{' '}
                {allowed.map((s) => (
                  <span key={s} className="chip small">
                    {labels.status(ticket.typeId, s).label}
                  </span>
                ))}
              </div>
            )}
          </ErrorBanner>
        )}
      </header>
      <div className="drawer-body">
        {preventive && !editing && <PredictionPanel ticket={ticket} config={config} />}
        {!editing && <DispatchSection ticket={ticket} config={config} />}
        {editing ? (
          <EditForm ticket={ticket} onDone={() => detail.getState().stopEditing()} />
        ) : (
          <ReadOnlyDetail ticket={ticket} config={config} />
        )}
        <Section title={t('detail.links')} count={ticket.links.length}>
          <LinksSection ticket={ticket} />
        </Section>
        <Section title={t('detail.comments')} count={ticket.comments.length}>
          <CommentsSection ticket={ticket} timezone={labels.timezone} />
        </Section>
        <Section title={t('detail.history')} count={ticket.history.length}>
          <HistoryTimeline ticket={ticket} />
        </Section>
      </div>
      {pending && (
        <TransitionDialog
          ticket={ticket}
          transition={pending}
          config={config}
          onClose={() => setPending(null)}
        />
      )}
    </>
  );
}

function Section({
  title,
  count,
  children,
  testId,
}: {
  title: string;
  count?: number;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="drawer-section" data-testid={testId}>
      <h3 className="section-title">
        {title}
        {count !== undefined && <span className="section-count">{count}</span>}
      </h3>
      {children}
    </section>
  );
}

function Prop({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function ReadOnlyDetail({ ticket, config }: { ticket: Ticket; config: ConfigDocument }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const labels = useTicketLabels();
  const fieldText = useFieldText();
  const tz = labels.timezone;
  const type = labels.type(ticket.typeId);
  const keys = Object.entries(ticket.businessKeys);
  const time = (iso: string | null) => (iso ? formatDateTime(iso, tz) : '—');
  return (
    <>
      <Section title={t('detail.overview')}>
        <dl className="props">
          <Prop label={t('fieldName.assignee')} testId="detail-assignee">
            <AssignControl ticket={ticket} config={config} />
          </Prop>
          <Prop label={t('fieldName.source')}>{t(`source.${ticket.source}`)}</Prop>
          <Prop label={t('fieldName.domains')}>
            {ticket.domains.length
              ? ticket.domains.map((d) => (
                  <span key={d} className="chip small">
                    {t(`domain.${d}`)}
                  </span>
                ))
              : '—'}
          </Prop>
          <Prop label={t('fieldName.createdAt')}>
            {time(ticket.createdAt)} · {ticket.createdBy.name}
          </Prop>
          <Prop label={t('fieldName.updatedAt')}>
            {time(ticket.updatedAt)} · {t('detail.version', { version: ticket.version })}
          </Prop>
        </dl>
      </Section>
      <Section title={t('detail.sla')}>
        <dl className="props">
          <Prop label={t('sla.remaining')} testId="detail-sla">
            <SlaCountdown sla={ticket.sla} className="sla-large" />
          </Prop>
          <Prop label={t('sla.responseDue')}>
            {time(ticket.sla.responseDueAt)}
            {ticket.sla.respondedAt && (
              <span className="muted"> · {t('sla.respondedAt', { at: time(ticket.sla.respondedAt) })}</span>
            )}
          </Prop>
          <Prop label={t('sla.resolveDue')}>
            {time(ticket.sla.resolveDueAt)}
            {ticket.sla.resolvedAt && (
              <span className="muted"> · {t('sla.resolvedAt', { at: time(ticket.sla.resolvedAt) })}</span>
            )}
          </Prop>
        </dl>
      </Section>
      <Section title={t('fieldName.description')}>
        <div className="description" data-testid="detail-description">
          {ticket.description || <span className="muted">{t('detail.noDescription')}</span>}
        </div>
      </Section>
      <Section title={t('fieldName.businessKeys')} count={keys.length}>
        {keys.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <dl className="props" data-testid="detail-business-keys">
            {keys.map(([k, v]) => (
              <Prop key={k} label={labels.businessKey(k)}>
                <span className="mono">{v}</span>
              </Prop>
            ))}
          </dl>
        )}
      </Section>
      <Section title={t('fieldName.location')}>
        {ticket.location ? (
          <dl className="props" data-testid="detail-location">
            <Prop label={t('location.address')}>{ticket.location.address || '—'}</Prop>
            <Prop label={t('location.coordinates')}>
              <span className="mono">
                {ticket.location.lng.toFixed(6)}, {ticket.location.lat.toFixed(6)}
              </span>
              <span className="muted"> {t('location.datum')}</span>
            </Prop>
            {ticket.location.gridId && <Prop label={t('location.grid')}>{ticket.location.gridId}</Prop>}
          </dl>
        ) : (
          <span className="muted">—</span>
        )}
      </Section>
      {type && type.fields.length > 0 && (
        <Section title={t('detail.customFields', { type: loc(type.name) })}>
          <dl className="props" data-testid="detail-fields">
            {type.fields.map((def) => (
              <Prop key={def.key} label={loc(def.label)}>
                {def.kind === 'date' && typeof ticket.fields[def.key] === 'string'
                  ? formatDateTime(ticket.fields[def.key] as string, tz)
                  : fieldText(def, ticket.fields[def.key])}
              </Prop>
            ))}
          </dl>
        </Section>
      )}
    </>
  );
}

function AssignControl({ ticket, config }: { ticket: Ticket; config: ConfigDocument }) {
  const { t } = useTranslation();
  const { detail } = useStores();
  const labels = useTicketLabels();
  const busy = useDetail((s) => s.busy);
  const [picking, setPicking] = useState(false);
  const [value, setValue] = useState<Assignee | null>(ticket.assignee);
  useEffect(() => setValue(ticket.assignee), [ticket.assignee]);
  if (!picking) {
    return (
      <span className="assign-control">
        <span className={ticket.assignee ? '' : 'muted'}>{labels.assignee(ticket.assignee)}</span>
        <button
          type="button"
          className="button small ghost"
          data-testid="assign-button"
          disabled={!!busy}
          onClick={() => setPicking(true)}
        >
          {ticket.assignee ? t('assignee.reassign') : t('assignee.assign')}
        </button>
      </span>
    );
  }
  return (
    <span className="assign-control">
      <AssigneePicker config={config} value={value} onChange={setValue} testId="assign-select" />
      <button
        type="button"
        className="button small primary"
        data-testid="assign-submit"
        disabled={!!busy}
        onClick={async () => {
          if (await detail.getState().assign(value)) setPicking(false);
        }}
      >
        {t('common.save')}
      </button>
      <button type="button" className="button small ghost" onClick={() => setPicking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

function EditForm({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { t } = useTranslation();
  const { detail } = useStores();
  const labels = useTicketLabels();
  const busy = useDetail((s) => s.busy);
  const actionError = useDetail((s) => (s.actionError?.action === 'update' ? s.actionError.error : null));
  const type = labels.type(ticket.typeId);
  // The version the edit started from: saving sends it, so a change by someone else in between
  // is a CONFLICT (then merged on request) instead of a silent lost update.
  const [base, setBase] = useState<Ticket>(ticket);
  const [draft, setDraft] = useState<TicketDraft>(() => draftFromTicket(ticket));
  const [merged, setMerged] = useState(false);
  const conflict = useDetail((s) =>
    s.actionError?.action === 'update' && s.actionError.error.code === ErrorCode.Conflict
      ? s.actionError.error
      : null,
  );
  const behind = ticket.version !== base.version;
  const conflictRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflict) conflictRef.current?.scrollIntoView({ block: 'nearest' });
  }, [conflict]);
  const rebase = async () => {
    detail.getState().clearActionError();
    await detail.getState().reload();
    const latest = detail.getState().ticket;
    if (!latest) return;
    setDraft((d) => rebaseDraft(base, d, latest));
    setBase(latest);
    setMerged(true);
  };
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  // Tell the store whether leaving would lose something, so the drawer's guard asks first.
  const dirty = useMemo(() => draftIsDirty(base, draft), [base, draft]);
  useEffect(() => detail.getState().setDirty(dirty), [detail, dirty]);
  useEffect(() => () => detail.getState().setDirty(false), [detail]);
  const problemText = useProblemText();
  const problems = useMemo(
    () => validateDraft(draft, type, 'edit', changedCustomFields(base.fields, draft.fields)),
    [draft, type, base.fields],
  );
  const issues: Record<string, string> = {
    ...fieldIssues(actionError),
    ...(touched ? Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, problemText(p)])) : {}),
  };

  const save = async () => {
    setTouched(true);
    if (Object.keys(problems).length) return;
    const patch = patchFromDraft(base, draft);
    if (!patch) {
      onDone();
      return;
    }
    if (await detail.getState().update(patch, note.trim() || undefined, base.version)) onDone();
  };

  return (
    <form
      noValidate
      className="form edit-form"
      data-testid="edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {conflict ? (
        <div ref={conflictRef}>
          <ErrorBanner error={conflict} onReload={() => void rebase()} testId="edit-conflict">
            <div className="muted small">{t('detail.conflictMergeHint')}</div>
          </ErrorBanner>
        </div>
      ) : (
        behind && (
          <div className="notice" data-testid="edit-behind">
            <span>{t('detail.changedWhileEditing', { version: ticket.version })}</span>
            <button
              type="button"
              className="button small"
              data-testid="edit-rebase"
              onClick={() => void rebase()}
            >
              {t('detail.mergeLatest')}
            </button>
          </div>
        )
      )}
      {merged && !behind && !conflict && (
        <div className="notice ok" data-testid="edit-merged">
          {t('detail.merged')}
        </div>
      )}
      <TicketFormFields draft={draft} onChange={setDraft} type={type} issues={issues} prefix="edit" />
      <label className="field">
        <span className="field-label">{t('detail.editNote')}</span>
        <input
          className="input"
          data-testid="edit-note"
          value={note}
          maxLength={4000}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      {actionError && actionError.code !== ErrorCode.Conflict && (
        <ErrorBanner
          error={actionError}
          onDismiss={() => detail.getState().clearActionError()}
          testId="edit-error"
        />
      )}
      <div className="form-actions">
        <button type="button" className="button ghost" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button primary" data-testid="edit-save" disabled={!!busy}>
          {busy === 'update' ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

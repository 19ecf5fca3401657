import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigDocument, DispatchState, Ticket } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { acceptableDepartments, currentDepartment } from '../../stores/hotline/dispatch-model';
import { useHotline } from '../../stores/hotline/use-hotline';
import { ReassignDialog } from './ReassignDialog';
import { useDepartmentName } from './use-department-name';
import './dispatch.css';

export const CITIZEN_TYPE_ID = 'citizen-request';

/**
 * The 派单 section of the board's drawer for a citizen request: where it went (and who accepted
 * it), the classifier's suggestion against the agent's choice, the reassignments, and the two
 * commands: accept on behalf of a department (double dispatch) and reassign with a reason.
 * Every ticket is asked about (a hotline ticket may carry another type); nothing shows for a
 * ticket that is neither a citizen request nor dispatched by the hotline.
 */
export function DispatchSection({ ticket, config }: { ticket: Ticket; config: ConfigDocument }) {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const slot = useHotline((s) => s.dispatch);
  const [reassigning, setReassigning] = useState(false);

  useEffect(() => {
    hotline.getState().showDispatch(ticket.id);
  }, [hotline, ticket.id]);
  useEffect(() => () => hotline.getState().showDispatch(null), [hotline]);

  const mine = slot.key === ticket.id;
  const dispatch = mine ? slot.data : null;
  if (ticket.typeId !== CITIZEN_TYPE_ID && !dispatch) return null;
  const closed = ticketIsDone(config, ticket);

  return (
    <section
      className="drawer-section ds"
      data-testid="dispatch-section"
      data-owner={dispatch?.owner ?? ''}
      data-reassignments={dispatch?.reassignments.length ?? 0}
    >
      <h3 className="section-title">
        {t('hotline.dispatch.title')}
        {dispatch && acceptableDepartments(dispatch).length > 0 && (
          <span className="ds-badge ds-badge-double" data-testid="dispatch-double">
            {t('hotline.dispatch.double')}
          </span>
        )}
        {dispatch && dispatch.reassignments.length > 0 && (
          <span className="ds-badge ds-badge-reassigned">
            {t('hotline.dispatch.reassigned')} ×{dispatch.reassignments.length}
          </span>
        )}
        <span className="spacer" />
        {dispatch && !closed && (
          <button
            type="button"
            className="button small"
            data-testid="dispatch-reassign-open"
            onClick={() => {
              hotline.getState().clearDispatchError();
              setReassigning(true);
            }}
          >
            {t('hotline.dispatch.reassign')}
          </button>
        )}
      </h3>
      {slot.loading && mine && !dispatch && <Spinner label={t('hotline.dispatch.loading')} />}
      {slot.error && mine && (
        <ErrorBanner
          error={slot.error}
          onRetry={() => {
            hotline.getState().showDispatch(null);
            hotline.getState().showDispatch(ticket.id);
          }}
          testId="dispatch-load-error"
        />
      )}
      {mine && !slot.loading && !slot.error && !dispatch && (
        <p className="muted" data-testid="dispatch-none">
          {t('hotline.dispatch.notHotline')}
        </p>
      )}
      {dispatch && <DispatchBody dispatch={dispatch} timeZone={config.timezone} closed={closed} />}
      {closed && dispatch && <p className="muted small">{t('hotline.dispatch.closed')}</p>}
      {reassigning && dispatch && (
        <ReassignDialog
          ticket={ticket}
          dispatch={dispatch}
          config={config}
          onClose={() => setReassigning(false)}
        />
      )}
    </section>
  );
}

function DispatchBody({
  dispatch,
  timeZone,
  closed,
}: {
  dispatch: DispatchState;
  timeZone: string;
  closed: boolean;
}) {
  const { t } = useTranslation();
  const { hotline, detail } = useStores();
  const nameOf = useDepartmentName();
  const busy = useHotline((s) => s.dispatchBusy);
  const error = useHotline((s) => (s.dispatchError?.command === 'accept' ? s.dispatchError.error : null));
  const acceptable = closed ? [] : acceptableDepartments(dispatch);
  const owner = currentDepartment(dispatch);
  const categoryChanged = dispatch.chosen.category !== dispatch.suggested.category;
  // The agent's choice is kept for the accuracy figures; a reassignment may have corrected it since.
  const corrected = [...dispatch.reassignments].reverse().find((r) => r.category)?.category ?? null;
  const departmentsChanged =
    dispatch.chosen.departmentIds.join(',') !== dispatch.suggested.departmentIds.join(',');

  const accept = async (departmentId: string): Promise<void> => {
    // The assignee and status changed with it: the drawer shows the ticket as it is now.
    if (await hotline.getState().acceptDispatch(departmentId)) void detail.getState().reload();
  };

  return (
    <div className="ds-body">
      <ul className="ds-departments" data-testid="dispatch-departments">
        {dispatch.departments.map((d) => (
          <li
            key={d.departmentId}
            className={`ds-dept ds-dept-${d.state}`}
            data-testid="dispatch-department"
            data-department-id={d.departmentId}
            data-state={d.state}
          >
            <span className="ds-dept-name">{nameOf(d.departmentId)}</span>
            <span className={`ds-state ds-state-${d.state}`}>{t(`hotline.dispatch.state.${d.state}`)}</span>
            {d.departmentId === dispatch.owner && (
              <span className="ds-owner-mark">{t('hotline.dispatch.owner')}</span>
            )}
            <span className="spacer" />
            {acceptable.includes(d.departmentId) && (
              <button
                type="button"
                className="button small primary"
                data-testid="dispatch-accept"
                data-department-id={d.departmentId}
                disabled={!!busy}
                title={t('hotline.dispatch.acceptTitle', { name: nameOf(d.departmentId) })}
                onClick={() => void accept(d.departmentId)}
              >
                {busy === 'accept' ? t('hotline.dispatch.accepting') : t('hotline.dispatch.accept')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <ErrorBanner
          error={error}
          onReload={() => {
            hotline.getState().clearDispatchError();
            const id = hotline.getState().dispatch.key;
            hotline.getState().showDispatch(null);
            hotline.getState().showDispatch(id);
            void detail.getState().reload();
          }}
          onDismiss={() => hotline.getState().clearDispatchError()}
          testId="dispatch-accept-error"
        />
      )}

      <dl className="props ds-props">
        <dt>{t('hotline.dispatch.owner')}</dt>
        <dd data-testid="dispatch-owner">
          {owner ? (
            <strong>{nameOf(owner)}</strong>
          ) : (
            <span className="ds-state ds-state-pending">{t('hotline.dispatch.noOwner')}</span>
          )}
        </dd>
      </dl>

      <div
        className={`ds-compare${dispatch.overridden ? ' is-overridden' : ''}`}
        data-testid="dispatch-compare"
        data-overridden={dispatch.overridden}
      >
        <div className="ds-compare-col">
          <div className="ds-label">
            {t('hotline.dispatch.suggested')}
            <span className="muted mono small">
              {' '}
              {t('hotline.dispatch.confidence', {
                value: `${Math.round(dispatch.suggested.confidence * 100)}%`,
              })}
            </span>
          </div>
          <CategoryPath path={dispatch.suggested.category} />
          <div className="ds-dept-list">
            {dispatch.suggested.departmentIds.map(nameOf).join(' + ') || '—'}
          </div>
        </div>
        <div className="ds-compare-arrow" aria-hidden="true">
          →
        </div>
        <div className="ds-compare-col">
          <div className="ds-label">
            {t('hotline.dispatch.chosen')}
            {dispatch.overridden && (
              <span className="ds-badge ds-badge-override" data-testid="dispatch-overridden">
                {t('hotline.dispatch.overridden')}
              </span>
            )}
          </div>
          <CategoryPath
            path={dispatch.chosen.category}
            changed={categoryChanged}
            testId="dispatch-chosen-category"
          />
          <div className={`ds-dept-list${departmentsChanged ? ' is-changed' : ''}`}>
            {dispatch.chosen.departmentIds.map(nameOf).join(' + ') || '—'}
          </div>
          {corrected && corrected !== dispatch.chosen.category && (
            <div className="ds-corrected" data-testid="dispatch-corrected-category">
              {t('hotline.dispatch.correctedTo', { category: corrected })}
            </div>
          )}
        </div>
      </div>

      <div className="ds-history-block">
        <div className="ds-label">
          {t('hotline.dispatch.history')}
          {dispatch.reassignments.length > 0 && (
            <span className="section-count">{dispatch.reassignments.length}</span>
          )}
        </div>
        {dispatch.reassignments.length === 0 ? (
          <p className="muted small" data-testid="dispatch-no-history">
            {t('hotline.dispatch.noHistory')}
          </p>
        ) : (
          <ol className="ds-history" data-testid="dispatch-history">
            {dispatch.reassignments.map((r, i) => (
              <li
                key={`${r.at}-${i}`}
                className="ds-reassignment"
                data-testid="dispatch-reassignment"
                data-to={r.to}
                data-category={r.category ?? ''}
              >
                <div className="ds-reassignment-head">
                  <span className="mono muted">{formatDateTime(r.at, timeZone)}</span>
                  <span className="ds-actor">{r.actor.name}</span>
                </div>
                <div className="ds-move">
                  <span className="ds-from">{r.from ? nameOf(r.from) : t('hotline.dispatch.nobody')}</span>
                  <span className="ds-arrow" aria-hidden="true">
                    →
                  </span>
                  <strong className="ds-to">{nameOf(r.to)}</strong>
                </div>
                <div className="ds-reason">{t('hotline.dispatch.historyReason', { reason: r.reason })}</div>
                {r.category && (
                  <div className="ds-corrected" data-testid="dispatch-reassignment-category">
                    {t('hotline.dispatch.historyCategory', { category: r.category })}
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

function CategoryPath({ path, changed, testId }: { path: string; changed?: boolean; testId?: string }) {
  return (
    <div className={`ds-category${changed ? ' is-changed' : ''}`} data-testid={testId} data-category={path}>
      {path
        ? path.split('/').map((part, i) => (
            <span key={i} className="ds-category-part">
              {part}
            </span>
          ))
        : '—'}
    </div>
  );
}

/** Replied, resolved or closed by its workflow: the hub no longer reassigns it. */
function ticketIsDone(config: ConfigDocument, ticket: Ticket): boolean {
  const type = config.types.find((x) => x.id === ticket.typeId);
  const wf = config.workflows.find((w) => w.id === type?.workflowId);
  const cat = wf?.states.find((s) => s.id === ticket.status)?.category;
  return cat === 'resolved' || cat === 'closed';
}

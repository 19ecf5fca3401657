import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_TAXONOMY, taxonomyLeaves } from '@shared/domain';
import { formatClock } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useConfig, useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { isModalOpen } from '../../components/modal-stack';
import { useHotline } from '../../stores/hotline/use-hotline';
import { highlightRuns, maskPhone, proposalOf } from '../../stores/hotline/triage-model';
import { DismissCallDialog } from './DismissCallDialog';

const CHANNELS = ['phone', 'web', 'app', 'wechat', 'open311'] as const;
const LEAF_PATHS = taxonomyLeaves(DEFAULT_TAXONOMY).map((l) => l.path);

const percent = (v: number): string => `${Math.round(v * 100)}%`;

/** The request the agent works on: caller, text, category, place, department, duplicates, dispatch. */
export function RequestCard({ textRef }: { textRef: RefObject<HTMLTextAreaElement | null> }) {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const draft = useHotline((s) => s.draft);
  const submitting = useHotline((s) => s.submitting);
  const submitError = useHotline((s) => s.submitError);
  const queue = useHotline((s) => s.queue.data);
  const timeZone = useConfig((s) => s.config?.timezone ?? 'Asia/Shanghai');
  const call = draft.incomingId ? queue?.find((c) => c.id === draft.incomingId) : null;
  const waiting = useHotline((s) => s.waiting);
  const [dismissing, setDismissing] = useState(false);
  /** A call was just dismissed: said where the dispatch notice goes, until the next call is picked. */
  const [dismissed, setDismissed] = useState(false);
  const callId = call?.id ?? null;
  useEffect(() => {
    if (callId) setDismissed(false);
  }, [callId]);

  // Alt+D: the picked call ends without a ticket (hung up, wrong number…), from anywhere in the view.
  useEffect(() => {
    if (!callId) return;
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === 'KeyD' && !isModalOpen()) {
        e.preventDefault();
        setDismissing(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [callId]);

  return (
    <section className="triage-card" data-testid="triage-card" aria-label={t('hotline.triage.card.title')}>
      <header className="triage-section-head">
        <span>{t('hotline.triage.card.title')}</span>
        <span className="triage-chip">
          {call
            ? t('hotline.triage.card.fromQueue', { time: formatClock(Date.parse(call.receivedAt), timeZone) })
            : t('hotline.triage.card.typed')}
        </span>
        {call && (
          <button
            type="button"
            className="button small ghost triage-dismiss-open"
            data-testid="triage-dismiss-open"
            title={t('hotline.dismiss.title')}
            onClick={() => setDismissing(true)}
          >
            {t('hotline.dismiss.button')} <kbd>Alt+D</kbd>
          </button>
        )}
      </header>
      {dismissing && call && (
        <DismissCallDialog
          call={call}
          timeZone={timeZone}
          onClose={() => {
            setDismissing(false);
            textRef.current?.focus();
          }}
          onDone={() => {
            setDismissing(false);
            setDismissed(true);
            textRef.current?.focus();
          }}
        />
      )}
      <div className="triage-card-body">
        <div className="triage-caller">
          <label className="triage-field">
            <span>{t('hotline.triage.card.callerName')}</span>
            <input
              className="input small"
              data-testid="triage-caller-name"
              value={draft.callerName}
              maxLength={50}
              onChange={(e) => hotline.getState().setCaller({ callerName: e.target.value })}
            />
          </label>
          <label className="triage-field">
            <span>{t('hotline.triage.card.callerPhone')}</span>
            <input
              className="input small mono"
              data-testid="triage-caller-phone"
              value={draft.callerPhone}
              readOnly={draft.phoneMasked}
              maxLength={30}
              inputMode="tel"
              title={draft.phoneMasked ? undefined : maskPhone(draft.callerPhone)}
              onChange={(e) => hotline.getState().setCaller({ callerPhone: e.target.value })}
            />
          </label>
          <label className="triage-field">
            <span>{t('hotline.triage.card.channel')}</span>
            <select
              className="input small"
              data-testid="triage-channel"
              value={draft.channel}
              onChange={(e) =>
                hotline.getState().setCaller({ channel: e.target.value as (typeof CHANNELS)[number] })
              }
            >
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`hotline.channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
        </div>

        <CallText textRef={textRef} />
        <ClassifyPanel />

        <label className="triage-field triage-address">
          <span>{t('hotline.triage.card.address')}</span>
          <input
            className="input"
            data-testid="triage-address"
            value={draft.address}
            maxLength={300}
            placeholder={t('hotline.triage.card.addressPlaceholder')}
            onChange={(e) => hotline.getState().setAddress(e.target.value)}
          />
        </label>
        <LocatePanel />
        <DepartmentPanel />
        <DuplicatesPanel />

        {submitError && (
          <ErrorBanner
            error={submitError}
            onDismiss={() => hotline.getState().clearSubmitError()}
            testId="triage-submit-error"
          />
        )}
        <div className="triage-dispatch">
          {dismissed && !call ? (
            <span className="triage-dismissed" data-testid="triage-dismissed" data-waiting={waiting}>
              {t('hotline.dismiss.done', { count: waiting })}
            </span>
          ) : (
            <DispatchDone />
          )}
          <span className="spacer" />
          <button
            type="button"
            className="button primary"
            data-testid="triage-dispatch"
            disabled={submitting || !draft.text.trim()}
            title={draft.text.trim() ? undefined : t('hotline.triage.dispatch.needText')}
            onClick={() => void hotline.getState().submit()}
          >
            {submitting ? t('hotline.triage.dispatch.working') : t('hotline.triage.dispatch.button')}{' '}
            <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
      </div>
    </section>
  );
}

/** The call text, editable, with the words that drove the classification marked behind it. */
function CallText({ textRef }: { textRef: RefObject<HTMLTextAreaElement | null> }) {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const text = useHotline((s) => s.draft.text);
  const words = useHotline((s) => s.suggestion?.topWords);
  const backdrop = useRef<HTMLDivElement>(null);
  const runs = useMemo(
    () =>
      highlightRuns(
        text,
        (words ?? []).map((w) => w.word),
      ),
    [text, words],
  );
  return (
    <label className="triage-field">
      <span>
        {t('hotline.triage.card.text')}
        <span className={`muted small triage-chars${text.length > 5000 ? ' over' : ''}`}>
          {t('hotline.triage.card.chars', { count: text.length })}
        </span>
      </span>
      <div className="triage-text-wrap">
        <div className="triage-text-backdrop" ref={backdrop} aria-hidden="true">
          {runs.map(([s, hit], i) => (hit ? <mark key={i}>{s}</mark> : <span key={i}>{s}</span>))}
          {'\n'}
        </div>
        <textarea
          ref={textRef}
          className="input triage-text"
          data-testid="triage-text"
          value={text}
          rows={5}
          placeholder={t('hotline.triage.card.textPlaceholder')}
          onChange={(e) => hotline.getState().setText(e.target.value)}
          onScroll={(e) => {
            if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
    </label>
  );
}

function ClassifyPanel() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const suggestion = useHotline((s) => s.suggestion);
  // Where the suggestion came from: this console's worker, or the hub when the worker is not ready.
  const source = useHotline((s) => s.suggestionSource);
  const classifying = useHotline((s) => s.classifying);
  const error = useHotline((s) => s.classifyError);
  const override = useHotline((s) => s.draft.category);
  const [typed, setTyped] = useState(override ?? '');
  useEffect(() => setTyped(override ?? ''), [override]);
  const category = override ?? suggestion?.category ?? null;

  const commit = (value: string): void => {
    const v = value.trim();
    hotline.getState().setCategory(v && v !== suggestion?.category ? v : null);
  };

  return (
    <div className="triage-panel" data-testid="triage-classify" data-state={classifying ? 'working' : 'idle'}>
      <div className="triage-panel-head">
        <span>{t('hotline.triage.classify.title')}</span>
        {classifying && <span className="muted small">{t('hotline.triage.classify.working')}</span>}
        {override && (
          <span className="triage-override" data-testid="triage-category-overridden">
            {t('hotline.triage.classify.overridden')}
          </span>
        )}
      </div>
      {error && (
        <div className="error-text small">{`${t('hotline.triage.classify.error')}: ${error.message}`}</div>
      )}
      {!suggestion && !error && <div className="muted small">{t('hotline.triage.classify.empty')}</div>}
      {category && (
        <div className="triage-category" data-testid="triage-category" data-category={category}>
          {category.split('/').map((part, i) => (
            <span key={i} className="triage-category-part">
              {part}
            </span>
          ))}
        </div>
      )}
      {suggestion && (
        <>
          {override && (
            <div className="muted small">
              {t('hotline.triage.classify.suggested', { category: suggestion.category })}{' '}
              <button
                type="button"
                className="button ghost small"
                onClick={() => hotline.getState().setCategory(null)}
              >
                {t('hotline.triage.classify.restore')} <kbd>Alt+0</kbd>
              </button>
            </div>
          )}
          <div
            className="triage-confidence"
            data-testid="triage-confidence"
            data-value={suggestion.confidence}
          >
            <div className="triage-bar">
              <div
                className={`triage-bar-fill${suggestion.lowConfidence ? ' low' : ''}`}
                style={{ width: percent(suggestion.confidence) }}
              />
            </div>
            <span className="mono small">
              {t('hotline.triage.classify.confidence', { value: percent(suggestion.confidence) })}
            </span>
            {source && (
              <span className="muted small" data-testid="triage-classify-source" data-source={source}>
                {t(`hotline.triage.classify.source.${source}`)}
              </span>
            )}
          </div>
          {suggestion.lowConfidence && !override && (
            <div className="triage-warn small" data-testid="triage-low-confidence">
              {t('hotline.triage.classify.low')}
            </div>
          )}
          {suggestion.topWords.length > 0 && (
            <div className="triage-words small">
              <span className="muted">{t('hotline.triage.classify.drivers')}</span>
              {suggestion.topWords.map((w) => (
                <mark key={w.word} title={w.weight.toFixed(2)}>
                  {w.word}
                </mark>
              ))}
            </div>
          )}
          {suggestion.alternatives.length > 0 && (
            <div className="triage-alts small">
              <span className="muted">{t('hotline.triage.classify.alternatives')}</span>
              {suggestion.alternatives.slice(0, 3).map((a, i) => (
                <button
                  key={a.leafId}
                  type="button"
                  className={`button small${override === a.category ? ' on' : ''}`}
                  data-testid="triage-alternative"
                  onClick={() => hotline.getState().setCategory(a.category)}
                >
                  <kbd>Alt+{i + 1}</kbd> {a.category}{' '}
                  <span className="muted mono">{percent(a.confidence)}</span>
                </button>
              ))}
            </div>
          )}
        </>
      )}
      <label className="triage-field triage-inline">
        <span className="small muted">{t('hotline.triage.classify.override')}</span>
        <input
          className="input small"
          data-testid="triage-category-input"
          list="triage-leaves"
          value={typed}
          placeholder={t('hotline.triage.classify.overridePlaceholder')}
          onChange={(e) => {
            setTyped(e.target.value);
            if (LEAF_PATHS.includes(e.target.value)) commit(e.target.value);
          }}
          onBlur={() => commit(typed)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              commit(typed);
            }
          }}
        />
        <datalist id="triage-leaves">
          {LEAF_PATHS.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
    </div>
  );
}

function LocatePanel() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const route = useHotline((s) => s.route);
  const routing = useHotline((s) => s.routing);
  const error = useHotline((s) => s.routeError);
  const place = useHotline((s) => s.draft.place);
  const address = useHotline((s) => s.draft.address);
  const cell = route?.cell ?? null;
  const reasonText = (code: string, message: string): string => {
    const key = `hotline.triage.locate.reason.${code}`;
    return (
      t(key as 'hotline.triage.locate.reason.empty', { defaultValue: '' }) ||
      t('hotline.triage.locate.reason.other', { message })
    );
  };
  return (
    <div
      className="triage-panel"
      data-testid="triage-locate"
      data-cell-id={cell?.id ?? ''}
      data-state={routing ? 'working' : route ? (route.ok ? 'located' : 'failed') : 'idle'}
    >
      <div className="triage-panel-head">
        <span>{t('hotline.triage.locate.title')}</span>
        {routing && <span className="muted small">{t('hotline.triage.locate.working')}</span>}
        {place && (
          <span className="triage-override" data-testid="triage-place-manual">
            {t(`hotline.triage.locate.manual.${place.source}`)}
            {place.source !== 'caller' && address.trim() && (
              <button
                type="button"
                className="button ghost small"
                onClick={() => hotline.getState().setPlace(null)}
              >
                {t('hotline.triage.locate.clearManual')}
              </button>
            )}
          </span>
        )}
      </div>
      {error && (
        <div className="error-text small">{`${t('hotline.triage.locate.error')}: ${error.message}`}</div>
      )}
      {!route && !error && <div className="muted small">{t('hotline.triage.locate.empty')}</div>}
      {route?.reason && route.candidates.length === 0 && (
        <div className="triage-warn small" data-testid="triage-locate-reason" data-code={route.reason.code}>
          {reasonText(route.reason.code, route.reason.message)}
        </div>
      )}
      {cell && (
        <dl className="triage-cell" data-testid="triage-cell">
          <dt>{t('hotline.triage.locate.cell')}</dt>
          <dd className="mono" data-testid="triage-cell-id">
            {cell.id}
          </dd>
          <dt>{t('hotline.triage.locate.street')}</dt>
          <dd>{cell.street}</dd>
          <dt>{t('hotline.triage.locate.district')}</dt>
          <dd>{cell.district}</dd>
          <dt>{t('hotline.triage.locate.manager')}</dt>
          <dd>{cell.manager ?? <span className="muted">{t('hotline.triage.locate.noManager')}</span>}</dd>
        </dl>
      )}
      {route && !cell && route.location && (route.district || route.street) && (
        <div className="small">{[route.district, route.street].filter(Boolean).join(' · ')}</div>
      )}
      {route && route.candidates.length > 0 && (
        <div className="triage-candidates" data-testid="triage-candidates">
          <div className="triage-warn small">{t('hotline.triage.locate.candidates')}</div>
          {route.candidates.map((c, i) => (
            <button
              key={`${c.name}-${i}`}
              type="button"
              className="button small"
              data-testid="triage-candidate"
              onClick={() => hotline.getState().setPlace({ lng: c.lng, lat: c.lat, source: 'candidate' })}
            >
              {c.name}
              <span className="muted"> {[c.district, c.level].filter(Boolean).join(' · ')}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function DepartmentPanel() {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { hotline } = useStores();
  const route = useHotline((s) => s.route);
  const altRoute = useHotline((s) => s.altRoute);
  const suggestion = useHotline((s) => s.suggestion);
  const overrideCategory = useHotline((s) => s.draft.category);
  const chosen = useHotline((s) => s.draft.departmentIds);
  const departments = useConfig((s) => s.config?.directory.departments ?? []);
  const proposal = useMemo(
    () => proposalOf(route, altRoute, suggestion, overrideCategory !== null),
    [route, altRoute, suggestion, overrideCategory],
  );
  const proposedIds = proposal.departments.map((d) => d.departmentId);
  const effective = chosen ?? proposedIds;
  const nameOf = (id: string): string => {
    const d = departments.find((x) => x.id === id);
    if (d) return loc(d.name);
    const p = proposal.departments.find((x) => x.departmentId === id);
    return p ? loc(p.name) : id;
  };
  const choose = (primary: string, secondary: string): void => {
    const next = [primary, secondary].filter((v, i, a) => v && a.indexOf(v) === i);
    const same = next.length === proposedIds.length && next.every((v, i) => v === proposedIds[i]);
    hotline.getState().setDepartments(same || !next.length ? null : next);
  };

  return (
    <div
      className="triage-panel"
      data-testid="triage-departments"
      data-department-ids={effective.join(',')}
      data-double={effective.length > 1 ? 'true' : 'false'}
    >
      <div className="triage-panel-head">
        <span>{t('hotline.triage.dept.title')}</span>
        {effective.length > 1 && <span className="triage-double">{t('hotline.triage.dept.double')}</span>}
        {chosen && (
          <span className="triage-override" data-testid="triage-department-overridden">
            {t('hotline.triage.dept.overridden')}
            <button
              type="button"
              className="button ghost small"
              onClick={() => hotline.getState().setDepartments(null)}
            >
              {t('hotline.triage.dept.restore')}
            </button>
          </span>
        )}
      </div>
      {!route && <div className="muted small">{t('hotline.triage.dept.empty')}</div>}
      {route && route.ok && proposal.departments.length === 0 && (
        <div className="triage-warn small">{t('hotline.triage.dept.none')}</div>
      )}
      {proposal.departments.length > 0 && (
        <ul className="triage-proposals" data-testid="triage-proposal">
          {proposal.departments.map((d) => (
            <li key={d.departmentId} className={chosen ? 'replaced' : ''}>
              <strong>{loc(d.name)}</strong>
              <span className="muted small">
                {t(`hotline.triage.dept.rule.${d.rule.startsWith('exception:') ? 'exception' : 'default'}`)} ·{' '}
                {d.rule.replace(/^(default|exception):/, '')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {proposal.double && !chosen && (
        <div className="triage-note small" data-testid="triage-double-reason">
          {t(
            proposal.double === 'lowConfidence'
              ? 'hotline.triage.dept.doubleLow'
              : 'hotline.triage.dept.doubleJoint',
          )}
        </div>
      )}
      <div className="triage-dept-pick">
        <span className="small muted">{t('hotline.triage.dept.pick')}</span>
        <select
          className="input small"
          data-testid="triage-department-1"
          value={effective[0] ?? ''}
          onChange={(e) => choose(e.target.value, effective[1] ?? '')}
        >
          <option value="">—</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {loc(d.name)}
            </option>
          ))}
        </select>
        <select
          className="input small"
          data-testid="triage-department-2"
          value={effective[1] ?? ''}
          disabled={!effective[0]}
          onChange={(e) => choose(effective[0] ?? '', e.target.value)}
        >
          <option value="">—</option>
          {departments
            .filter((d) => d.id !== effective[0])
            .map((d) => (
              <option key={d.id} value={d.id}>
                {loc(d.name)}
              </option>
            ))}
        </select>
      </div>
      {chosen && (
        <div className="small" data-testid="triage-chosen-departments">
          {t('hotline.triage.dept.override')}: {chosen.map(nameOf).join(' + ')}
        </div>
      )}
    </div>
  );
}

function DuplicatesPanel() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const duplicates = useHotline((s) => s.duplicates);
  const linked = useHotline((s) => s.draft.duplicateOf);
  const located = useHotline((s) => !!s.route?.location);
  if (!located) return null;
  return (
    <div className="triage-panel" data-testid="triage-duplicates" data-count={duplicates.length}>
      <div className="triage-panel-head">
        <span>{t('hotline.triage.dup.title')}</span>
        {duplicates.length > 0 && <kbd>Alt+L</kbd>}
      </div>
      {duplicates.length === 0 && <div className="muted small">{t('hotline.triage.dup.none')}</div>}
      {duplicates.map((d) => {
        const on = linked === d.ticketId;
        return (
          <div key={d.ticketId} className={`triage-dup${on ? ' linked' : ''}`}>
            <span className="mono">{d.number}</span>
            <span className="triage-dup-title">{d.title}</span>
            <span className="muted small">
              {t('hotline.triage.dup.distance', { meters: Math.round(d.distanceM) })}
            </span>
            <button
              type="button"
              className={`button small${on ? ' on' : ''}`}
              data-testid="triage-dup-link"
              onClick={() => hotline.getState().linkDuplicate(on ? null : d.ticketId)}
            >
              {on ? t('hotline.triage.dup.unlink') : t('hotline.triage.dup.link')}
            </button>
          </div>
        );
      })}
    </div>
  );
}

function DispatchDone() {
  const { t } = useTranslation();
  const loc = useLocalize();
  const last = useHotline((s) => s.lastSubmitted);
  const departments = useConfig((s) => s.config?.directory.departments ?? []);
  if (!last) return null;
  const names = last.dispatch.departments
    .map((d) => {
      const dep = departments.find((x) => x.id === d.departmentId);
      return dep ? loc(dep.name) : d.departmentId;
    })
    .join(' + ');
  return (
    <span
      className="triage-done"
      data-testid="triage-dispatched"
      data-ticket-id={last.ticket.id}
      data-ticket-number={last.ticket.number}
    >
      ✓ {t('hotline.triage.dispatch.done', { number: last.ticket.number, departments: names })}
      {last.dispatch.departments.length > 1 && ` ${t('hotline.triage.dispatch.doneDouble')}`}
      {last.dispatch.overridden && <span className="muted"> · {t('hotline.triage.dispatch.overrides')}</span>}
    </span>
  );
}

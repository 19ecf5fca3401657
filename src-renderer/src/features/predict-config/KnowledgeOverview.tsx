import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PredictConfig, Shift } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useConfig } from '../../app/stores-context';
import { useKindName } from '../quality/use-kind-name';
import { dayRuns } from './config-draft';

type DayKey = 'd1' | 'd2' | 'd3' | 'd4' | 'd5' | 'd6' | 'd7';

/** Read-only: failure modes per device kind (causes, symptoms, SOP, parts), depots, engineers. */
export function KnowledgeOverview({ config }: { config: PredictConfig }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const kindName = useKindName();
  const kinds = config.knowledge.map((k) => k.deviceKind);
  const [picked, setPicked] = useState('');
  const kind = kinds.includes(picked) ? picked : (kinds[0] ?? '');
  const knowledge = config.knowledge.find((k) => k.deviceKind === kind) ?? null;
  const sops = useMemo(() => new Map(config.sops.map((s) => [s.id, s])), [config.sops]);
  const parts = useMemo(() => new Map(config.parts.map((p) => [p.sku, p])), [config.parts]);
  const depots = useMemo(() => new Map(config.depots.map((d) => [d.id, d])), [config.depots]);
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const partName = (sku: string) => {
    const p = parts.get(sku);
    return p ? loc(p.name) : sku;
  };

  return (
    <>
      <section className="q-panel" data-testid="config-knowledge">
        <h3 className="q-panel-title">
          {t('predict.config.knowledge')}
          <span className="muted small">{t('predict.config.knowledgeHint')}</span>
        </h3>
        {kinds.length === 0 ? (
          <p className="muted">{t('predict.config.noKnowledge')}</p>
        ) : (
          <>
            {kinds.length > 1 && (
              <div className="segmented pc-kinds" role="group" aria-label={t('predict.policy.kind')}>
                {kinds.map((k) => (
                  <button
                    key={k}
                    type="button"
                    className={k === kind ? 'active' : ''}
                    aria-pressed={k === kind}
                    data-testid="config-kind"
                    data-kind={k}
                    onClick={() => setPicked(k)}
                  >
                    {kindName(k)}
                  </button>
                ))}
              </div>
            )}
            {kinds.length === 1 && <div className="pc-kind-name">{kindName(kind)}</div>}
            <div className="pc-scroll pc-modes">
              <table className="pp-table pc-table">
                <thead>
                  <tr>
                    <th>{t('predict.config.mode')}</th>
                    <th>{t('predict.config.causes')}</th>
                    <th>{t('predict.config.symptoms')}</th>
                    <th>{t('predict.config.sop')}</th>
                    <th>{t('predict.config.parts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {knowledge?.modes.map((m) => {
                    const sop = m.sopId === null ? null : sops.get(m.sopId);
                    return (
                      <tr key={m.id} data-testid="config-mode" data-mode={m.id}>
                        <td>
                          <div className="strong">{loc(m.name)}</div>
                          <div className="muted mono small">{m.id}</div>
                        </td>
                        <td>
                          {m.causes.map((c) => (
                            <div key={c.id}>
                              {loc(c.name)} <span className="mono muted">{pct(c.prior)}</span>
                            </div>
                          ))}
                        </td>
                        <td className="small">
                          {m.symptoms.length === 0
                            ? t('predict.config.none')
                            : m.symptoms.map((s, i) => (
                                <div key={i} className="mono">
                                  {t('predict.config.symptom', {
                                    feature: s.feature,
                                    pattern: t(`predict.config.pattern.${s.pattern}`),
                                    threshold: s.threshold,
                                    weight: s.weight,
                                  })}
                                </div>
                              ))}
                        </td>
                        <td>
                          {m.sopId === null ? (
                            <span className="muted">{t('predict.config.noSop')}</span>
                          ) : sop ? (
                            <>
                              <div>{loc(sop.title)}</div>
                              <div className="muted mono small">{sop.id}</div>
                            </>
                          ) : (
                            <span className="warn-text">
                              {t('predict.config.missingSop', { id: m.sopId })}
                            </span>
                          )}
                        </td>
                        <td>
                          {m.parts.length === 0
                            ? t('predict.config.none')
                            : m.parts.map((p) => (
                                <div key={p.sku}>
                                  {partName(p.sku)} <span className="mono muted">× {p.qty}</span>
                                </div>
                              ))}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      <div className="q-charts">
        <TablePanel
          title={t('predict.config.depots')}
          testId="config-depots"
          empty={config.depots.length === 0 ? t('predict.config.noDepots') : null}
          headers={[{ label: t('predict.config.depot') }, { label: t('predict.config.stock') }]}
        >
          {config.depots.map((d) => {
            const stock = Object.entries(d.stock);
            return (
              <tr key={d.id} data-testid="config-depot" data-depot={d.id}>
                <NameCell name={loc(d.name)} id={d.id} />
                <td>
                  {stock.length === 0 ? (
                    <span className="muted">{t('predict.config.noStock')}</span>
                  ) : (
                    stock.map(([sku, qty]) => (
                      <div key={sku} className={qty === 0 ? 'warn-text' : undefined}>
                        {partName(sku)} <span className="mono muted">× {qty}</span>
                      </div>
                    ))
                  )}
                </td>
              </tr>
            );
          })}
        </TablePanel>
        <Engineers config={config} depotName={(id) => (depots.get(id) ? loc(depots.get(id)!.name) : id)} />
      </div>
    </>
  );
}

function Engineers({ config, depotName }: { config: PredictConfig; depotName: (id: string) => string }) {
  const { t } = useTranslation();
  const users = useConfig((s) => s.config?.directory.users);
  const names = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name])), [users]);
  const day = (d: number) => t(`predict.config.days.d${d}` as `predict.config.days.${DayKey}`);
  const shift = (s: Shift) =>
    t('predict.config.shiftValue', {
      days: dayRuns(s.days)
        .map(([a, b]) => (a === b ? day(a) : t('predict.config.dayRange', { from: day(a), to: day(b) })))
        .join(t('predict.config.daySep')),
      start: s.start,
      end: s.end,
    });
  return (
    <TablePanel
      title={t('predict.config.engineers')}
      testId="config-engineers"
      empty={config.engineers.length === 0 ? t('predict.config.noEngineers') : null}
      headers={[
        { label: t('predict.config.engineer') },
        { label: t('predict.config.skills') },
        { label: t('predict.config.shift') },
        { label: t('predict.config.homeDepot') },
        { label: t('predict.config.maxOpen'), num: true },
      ]}
    >
      {config.engineers.map((e) => (
        <tr key={e.userId} data-testid="config-engineer" data-user={e.userId}>
          <NameCell name={names.get(e.userId) ?? e.userId} id={e.userId} />
          <td>
            {e.skills.map((s) => (
              <span key={s} className="chip small mono">
                {s}
              </span>
            ))}
          </td>
          <td className="nowrap">{shift(e.shift)}</td>
          <td>{e.depotId === null ? t('predict.config.none') : depotName(e.depotId)}</td>
          <td className="num mono">{e.maxOpenTickets}</td>
        </tr>
      ))}
    </TablePanel>
  );
}

/** A titled panel with a scrolling table, or a line saying why it is empty. */
function TablePanel({
  title,
  testId,
  empty,
  headers,
  children,
}: {
  title: string;
  testId: string;
  empty: string | null;
  headers: { label: string; num?: boolean }[];
  children: ReactNode;
}) {
  return (
    <section className="q-panel" data-testid={testId}>
      <h3 className="q-panel-title">{title}</h3>
      {empty !== null ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="pc-scroll">
          <table className="pp-table pc-table">
            <thead>
              <tr>
                {headers.map((h) => (
                  <th key={h.label} className={h.num ? 'num' : undefined}>
                    {h.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A record's name over its id. */
function NameCell({ name, id }: { name: string; id: string }) {
  return (
    <td>
      <div className="strong">{name}</div>
      <div className="muted mono small">{id}</div>
    </td>
  );
}

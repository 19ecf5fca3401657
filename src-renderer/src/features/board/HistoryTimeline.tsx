import { useTranslation } from 'react-i18next';
import type { FieldChange, HistoryEntry, Ticket } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useConfig } from '../../app/stores-context';
import { configSelectors } from '../../stores/config/config-store';
import { useFieldText } from '../../components/FieldInput';
import { useTicketLabels } from './use-ticket-labels';

const KNOWN_FIELDS = [
  'title',
  'description',
  'priority',
  'status',
  'assignee',
  'businessKeys',
  'domains',
  'location',
  'fields',
  'links',
] as const;
type KnownField = (typeof KNOWN_FIELDS)[number];
const isKnown = (f: string): f is KnownField => (KNOWN_FIELDS as readonly string[]).includes(f);

function short(text: string, max = 140): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Who changed what and when, newest first. */
export function HistoryTimeline({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const labels = useTicketLabels();
  const entries = [...ticket.history].reverse();
  return (
    <ol className="timeline" data-testid="history-timeline">
      {entries.map((h) => (
        <li
          key={h.version}
          className={`timeline-item action-${h.action}`}
          data-testid="history-entry"
          data-action={h.action}
        >
          <div className="timeline-head">
            <span className="timeline-dot" />
            <strong>{h.actor.name}</strong>
            <span>{t(`history.action.${h.action}`)}</span>
            <span className="muted mono">{formatDateTime(h.at, labels.timezone)}</span>
            <span className="muted mono">{t('detail.version', { version: h.version })}</span>
          </div>
          {h.changes.length > 0 && (
            <ul className="timeline-changes">
              {h.changes.map((c, i) => (
                <ChangeLine key={i} change={c} ticket={ticket} entry={h} />
              ))}
            </ul>
          )}
          {h.note && <blockquote className="timeline-note">{h.note}</blockquote>}
        </li>
      ))}
    </ol>
  );
}

function ChangeLine({ change, ticket }: { change: FieldChange; ticket: Ticket; entry: HistoryEntry }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const labels = useTicketLabels();
  const config = useConfig((s) => s.config);
  const fieldText = useFieldText();
  const type = configSelectors.type(config, ticket.typeId);

  const show = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    switch (field) {
      case 'status':
        return labels.status(ticket.typeId, String(value)).label;
      case 'assignee':
        return labels.assignee(value as Ticket['assignee']);
      case 'domains':
        return (value as string[]).map((d) => t(`domain.${d}` as 'domain.production')).join(', ') || '—';
      case 'businessKeys':
        return (
          Object.entries(value as Record<string, string>)
            .map(([k, v]) => `${labels.businessKey(k)}=${v}`)
            .join(', ') || '—'
        );
      case 'location': {
        const l = value as NonNullable<Ticket['location']>;
        return l.address
          ? `${l.address} (${l.lng.toFixed(5)}, ${l.lat.toFixed(5)})`
          : `${l.lng.toFixed(5)}, ${l.lat.toFixed(5)}`;
      }
      case 'links': {
        const [kind, number] = String(value).split(':');
        return kind && number ? `${t(`link.kind.${kind}` as 'link.kind.related')} ${number}` : String(value);
      }
      default:
        return typeof value === 'string' ? short(value) : short(JSON.stringify(value));
    }
  };

  if (change.field === 'fields') {
    const from = (change.from ?? {}) as Record<string, unknown>;
    const to = (change.to ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter(
      (k) => JSON.stringify(from[k]) !== JSON.stringify(to[k]),
    );
    return (
      <>
        {keys.map((k) => {
          const def = type?.fields.find((f) => f.key === k);
          return (
            <li key={k}>
              <span className="change-field">{def ? loc(def.label) : k}</span>
              <span className="change-from">{fieldText(def, from[k] as never)}</span>
              <span className="change-arrow">→</span>
              <span className="change-to">{fieldText(def, to[k] as never)}</span>
            </li>
          );
        })}
      </>
    );
  }
  const name = isKnown(change.field) ? t(`fieldName.${change.field}`) : change.field;
  return (
    <li>
      <span className="change-field">{name}</span>
      <span className="change-from">{show(change.field, change.from)}</span>
      <span className="change-arrow">→</span>
      <span className="change-to">{show(change.field, change.to)}</span>
    </li>
  );
}

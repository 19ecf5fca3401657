import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkKind, type Ticket } from '@shared/contract';
import { useDetail, useStores } from '../../app/stores-context';

export function LinksSection({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { detail } = useStores();
  const busy = useDetail((s) => s.busy);
  const [kind, setKind] = useState<LinkKind>('related');
  const [number, setNumber] = useState('');

  const add = async () => {
    if (!number.trim()) return;
    if (await detail.getState().link(kind, number)) setNumber('');
  };

  return (
    <div className="links" data-testid="links-section">
      {ticket.links.length === 0 && <div className="muted">{t('link.none')}</div>}
      <ul className="link-list">
        {ticket.links.map((l) => (
          <li
            key={`${l.kind}:${l.ticketId}`}
            data-testid="link-item"
            data-number={l.number}
            data-kind={l.kind}
          >
            <span className="link-kind">{t(`link.kind.${l.kind}`)}</span>
            <button
              type="button"
              className="link-button mono"
              onClick={() => detail.getState().requestOpen(l.ticketId)}
            >
              {l.number}
            </button>
            <button
              type="button"
              className="icon-button"
              data-testid="link-remove"
              title={t('link.remove')}
              aria-label={t('link.remove')}
              disabled={!!busy}
              onClick={() => void detail.getState().unlink(l.kind, l.ticketId)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        noValidate
        className="link-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <select
          className="input"
          data-testid="link-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as LinkKind)}
          aria-label={t('link.kindLabel')}
        >
          {LinkKind.options.map((k) => (
            <option key={k} value={k}>
              {t(`link.kind.${k}`)}
            </option>
          ))}
        </select>
        <input
          className="input mono"
          data-testid="link-number"
          placeholder={t('link.numberPlaceholder')}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
        />
        <button
          type="submit"
          className="button small"
          data-testid="link-add"
          disabled={!!busy || !number.trim()}
        >
          {t('link.add')}
        </button>
      </form>
    </div>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useDetail, useStores } from '../../app/stores-context';

export function CommentsSection({ ticket, timezone }: { ticket: Ticket; timezone: string }) {
  const { t } = useTranslation();
  const { detail } = useStores();
  const busy = useDetail((s) => s.busy);
  const [body, setBody] = useState('');

  const submit = async () => {
    if (!body.trim()) return;
    if (await detail.getState().comment(body.trim())) setBody('');
  };

  return (
    <div className="comments" data-testid="comments-section">
      {ticket.comments.length === 0 && <div className="muted">{t('comments.none')}</div>}
      <ul className="comment-list">
        {ticket.comments.map((c) => (
          <li key={c.id} className="comment" data-testid="comment-item">
            <div className="comment-head">
              <strong>{c.author.name}</strong>
              <span className="muted mono">{formatDateTime(c.at, timezone)}</span>
            </div>
            <div className="comment-body">{c.body}</div>
          </li>
        ))}
      </ul>
      <form
        noValidate
        className="comment-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <textarea
          className="input"
          rows={3}
          data-testid="comment-input"
          placeholder={t('comments.placeholder')}
          value={body}
          maxLength={20000}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <div className="comment-actions">
          <span className="muted small">{t('comments.hint')}</span>
          <button
            type="submit"
            className="button small primary"
            data-testid="comment-submit"
            disabled={!!busy || !body.trim()}
          >
            {busy === 'comment' ? t('common.saving') : t('comments.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { useDetail, useStores } from '../../app/stores-context';
import { Modal } from '../../components/Modal';

/**
 * Asks before a close or another ticket throws away unsaved edits (see `requestLeave` in the detail
 * store). Keep editing is the default: it has the focus, and Escape, the backdrop and × mean it too.
 */
export function DiscardChangesDialog() {
  const { t } = useTranslation();
  const { detail } = useStores();
  const asking = useDetail((s) => s.pendingLeave !== null);
  const number = useDetail((s) => s.ticket?.number ?? '');
  if (!asking) return null;
  const keep = () => detail.getState().cancelLeave();
  return (
    <Modal
      title={t('detail.discard.title')}
      onClose={keep}
      width={440}
      testId="discard-confirm"
      footer={
        <>
          <button
            type="button"
            className="button danger"
            data-testid="discard-confirm-button"
            onClick={() => detail.getState().confirmLeave()}
          >
            {t('detail.discard.discard')}
          </button>
          <button
            type="button"
            className="button primary"
            data-testid="discard-keep"
            data-autofocus
            onClick={keep}
          >
            {t('detail.discard.keep')}
          </button>
        </>
      }
    >
      <p>{t('detail.discard.body', { number })}</p>
    </Modal>
  );
}

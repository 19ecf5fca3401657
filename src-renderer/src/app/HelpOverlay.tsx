import { useTranslation } from 'react-i18next';
import { Modal } from '../components/Modal';
import { SHORTCUT_HELP } from './keyboard';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal title={t('shortcuts.title')} onClose={onClose} width={520} testId="help-overlay">
      <table className="shortcut-table">
        <tbody>
          {SHORTCUT_HELP.map((s) => (
            <tr key={s.labelKey} data-testid="shortcut-row">
              <td className="keys">
                {s.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{t(`shortcuts.${s.labelKey}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('shortcuts.typingNote')}</p>
    </Modal>
  );
}

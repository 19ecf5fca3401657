import { useTranslation } from 'react-i18next';
import { useConnection } from '../app/stores-context';

export function ConnectionIndicator({ large }: { large?: boolean }) {
  const { t } = useTranslation();
  const state = useConnection((s) => s.state);
  const lost = useConnection((s) => s.lost);
  const key = lost && state === 'connecting' ? 'reconnecting' : state;
  return (
    <span
      className={`conn conn-${state}${lost ? ' conn-lost' : ''}${large ? ' conn-large' : ''}`}
      data-testid="connection-state"
      data-state={state}
      data-lost={lost}
      title={t(`connection.hint.${key}`)}
    >
      <span className="conn-dot" />
      {t(`connection.${key}`)}
    </span>
  );
}

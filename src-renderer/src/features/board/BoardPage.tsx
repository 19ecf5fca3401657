import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigDocument } from '@shared/contract';
import { useBoard, useCreate, useDetail, useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CreateTicketDialog } from './CreateTicketDialog';
import { DetailDrawer } from './DetailDrawer';
import { DiscardChangesDialog } from './DiscardChangesDialog';
import { Kanban } from './Kanban';
import { TicketList } from './TicketList';
import { Toolbar } from './Toolbar';

export function BoardPage({ config }: { config: ConfigDocument }) {
  const { t } = useTranslation();
  const { board } = useStores();
  const mode = useBoard((s) => s.mode);
  const facetsError = useBoard((s) => s.facetsError);
  const drawerOpen = useDetail((s) => s.openId !== null);
  const creating = useCreate((s) => s.open);

  useEffect(() => {
    board.getState().start();
  }, [board]);

  return (
    <div className="board-page">
      <Toolbar config={config} />
      {facetsError && (
        <div className="board-banner">
          <ErrorBanner
            error={facetsError}
            onRetry={() => void board.getState().refresh()}
            testId="facets-error"
          />
        </div>
      )}
      <div className={`board-main${drawerOpen ? ' with-drawer' : ''}`}>
        <div className="board-content" aria-label={t('board.title')}>
          {mode === 'list' ? <TicketList /> : <Kanban />}
        </div>
        <DetailDrawer config={config} />
      </div>
      {creating && <CreateTicketDialog config={config} />}
      <DiscardChangesDialog />
    </div>
  );
}

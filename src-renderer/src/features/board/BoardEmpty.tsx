import { useTranslation } from 'react-i18next';
import { useBoard, useStores } from '../../app/stores-context';
import { EmptyState } from '../../components/EmptyState';
import { isFilterEmpty } from '../../stores/board/board-query';

/** "No tickets" for the list and the kanban: says whether filters hide them and offers to clear them. */
export function BoardEmpty({ hint = true }: { hint?: boolean }) {
  const { t } = useTranslation();
  const { board } = useStores();
  const filterEmpty = useBoard((s) => isFilterEmpty(s.filter));
  return (
    <EmptyState
      testId="board-empty"
      title={filterEmpty ? t('board.emptyAll') : t('board.emptyFiltered')}
      hint={hint ? (filterEmpty ? t('board.emptyAllHint') : t('board.emptyFilteredHint')) : undefined}
      action={
        !filterEmpty && (
          <button
            type="button"
            className="button"
            data-testid="empty-clear-filters"
            onClick={() => board.getState().clearFilters()}
          >
            {t('filters.clear')}
          </button>
        )
      }
    />
  );
}

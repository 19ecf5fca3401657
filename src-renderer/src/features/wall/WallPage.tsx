import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionIndicator } from '../../components/ConnectionIndicator';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useStores } from '../../app/stores-context';
import { HotlineAccuracyTile } from './HotlineAccuracyTile';
import { KpiTiles } from './KpiTiles';
import { UrgentList } from './UrgentList';
import { WallClock } from './WallClock';

/**
 * The wall display: readable from five metres. KPI tiles and the live list of open P1/P2 tickets.
 * Each panel is its own component over the wall store, so later panels (heatmap, map) slot into
 * the grid without touching these.
 */
export function WallPage() {
  const { t } = useTranslation();
  const { wall } = useStores();
  useEffect(() => {
    wall.getState().start();
    return () => wall.getState().stop();
  }, [wall]);
  return (
    <div className="wall" data-testid="wall">
      <header className="wall-header">
        <div className="wall-brand">
          <span className="brand-mark large" aria-hidden="true" />
          <div>
            <div className="wall-title">{t('wall.title')}</div>
            <div className="wall-subtitle">{t('wall.subtitle')}</div>
          </div>
        </div>
        <span className="spacer" />
        <HotlineAccuracyTile />
        <div className="wall-status">
          <ConnectionIndicator large />
          <LanguageSwitch />
        </div>
        <WallClock />
      </header>
      <KpiTiles />
      <UrgentList />
    </div>
  );
}

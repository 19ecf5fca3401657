import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { BoardPage } from '../features/board/BoardPage';
import { useBoardShortcuts } from '../features/board/use-board-shortcuts';
import { DeviceDetailDrawer } from '../features/device-detail/DeviceDetailDrawer';
import { DevicesPage } from '../features/devices/DevicesPage';
import { HeatmapPage } from '../features/heatmap/HeatmapPage';
import { HotlineKpiPage } from '../features/hotline-kpi/HotlineKpiPage';
import { MapPage } from '../features/map/MapPage';
import { QualityPage } from '../features/quality/QualityPage';
import { TriagePage } from '../features/triage/TriagePage';
import { WallPage } from '../features/wall/WallPage';
import { useConsoleScorer } from '../stores/scoring/use-console-scorer';
import type { ConfigDocument } from '@shared/contract';
import { Header } from './Header';
import { HelpOverlay } from './HelpOverlay';
import { hrefOf, routeOf, type Route } from './routing';
import { useConfig, useConnection, useStores } from './stores-context';
import { useNow } from './use-now';

function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => routeOf(window.location));
  useEffect(() => {
    const sync = () => setRoute(routeOf(window.location));
    window.addEventListener('popstate', sync);
    window.addEventListener('hashchange', sync);
    return () => {
      window.removeEventListener('popstate', sync);
      window.removeEventListener('hashchange', sync);
    };
  }, []);
  const navigate = useCallback((r: Route) => {
    const href = hrefOf(r, window.location);
    if (href.startsWith('#')) window.location.hash = href.slice(1);
    else window.history.pushState(null, '', href);
    setRoute(r);
  }, []);
  return [route, navigate];
}

export function App() {
  const { t } = useTranslation();
  const [route, navigate] = useRoute();
  useEffect(() => {
    document.title = route === 'wall' ? t('wall.documentTitle') : t('app.documentTitle');
    document.body.classList.toggle('wall-mode', route === 'wall');
  }, [route, t]);
  return route === 'wall' ? <WallPage /> : <Console route={route} navigate={navigate} />;
}

function Console({ route, navigate }: { route: Route; navigate: (r: Route) => void }) {
  const { detail } = useStores();
  const [help, setHelp] = useState(false);
  const openHelp = useCallback(() => setHelp(true), []);
  useBoardShortcuts(openHelp, route === 'board');
  // Consoles lend the hub their CPU for model scoring; the wall never does.
  useConsoleScorer();
  // Leaving the board takes the drawer with it: unsaved edits ask first.
  const leaveTo = useCallback(
    (r: Route) => {
      if (r === route) navigate(r);
      else detail.getState().requestLeave(() => navigate(r));
    },
    [detail, navigate, route],
  );
  return (
    <div className="app">
      <Header route={route} onNavigate={leaveTo} onHelp={openHelp} />
      <ConfigGate route={route} />
      <DeviceDetailDrawer />
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}

/** The board needs the configuration document (types, workflows, directory) before it can draw. */
function ConfigGate({ route }: { route: Route }) {
  const { t } = useTranslation();
  const { config: configStore } = useStores();
  const config = useConfig((s) => s.config);
  const error = useConfig((s) => s.error);
  const connection = useConnection((s) => s.state);
  if (config) return <Page route={route} config={config} />;
  if (error) {
    return (
      <div className="page-center">
        <ErrorBanner error={error} onRetry={() => void configStore.getState().load()} testId="config-error" />
      </div>
    );
  }
  return (
    <div className="page-center">
      <div className="gate">
        <Spinner label={connection === 'open' ? t('common.loading') : t('connection.connecting')} />
        {connection !== 'open' && <ConnectHint />}
      </div>
    </div>
  );
}

function Page({ route, config }: { route: Route; config: ConfigDocument }) {
  switch (route) {
    case 'heatmap':
      return <HeatmapPage />;
    case 'map':
      return <MapPage />;
    case 'devices':
      return <DevicesPage />;
    case 'quality':
      return <QualityPage />;
    case 'triage':
      return <TriagePage />;
    case 'hotline':
      return <HotlineKpiPage />;
    default:
      return <BoardPage config={config} />;
  }
}

/** After a few seconds without a connection, say what usually causes it. */
function ConnectHint() {
  const { t } = useTranslation();
  const since = useConnection((s) => s.since);
  const state = useConnection((s) => s.state);
  const now = useNow(1000);
  if (state === 'unauthorized') {
    return (
      <p className="error-text" data-testid="connect-hint" data-reason="unauthorized">
        {t('connection.hint.unauthorized')}
      </p>
    );
  }
  if (now - since <= 5000) return null;
  return (
    <p className="muted" data-testid="connect-hint">
      {t('connection.slowHint')}
    </p>
  );
}

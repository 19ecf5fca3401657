import { useTranslation } from 'react-i18next';
import { ConnectionIndicator } from '../components/ConnectionIndicator';
import { ConnectorsIndicator } from '../features/connectors/ConnectorsIndicator';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { ModelStatusBadge } from '../features/prediction/ModelStatusBadge';
import { hrefOf, type Route } from './routing';
import { useConfig } from './stores-context';

export function Header({
  route,
  onNavigate,
  onHelp,
}: {
  route: Route;
  onNavigate: (r: Route) => void;
  onHelp: () => void;
}) {
  const { t } = useTranslation();
  const me = useConfig((s) => s.me);
  const link = (r: Route) => (
    <a
      href={hrefOf(r, window.location)}
      className={route === r ? 'active' : ''}
      data-testid={`nav-${r}`}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        onNavigate(r);
      }}
    >
      {t(`nav.${r}`)}
    </a>
  );
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </div>
      <nav className="nav">
        {link('board')}
        {link('heatmap')}
        {link('map')}
        {link('devices')}
        {link('quality')}
        {link('triage')}
        {link('hotline')}
        {link('wall')}
      </nav>
      <span className="spacer" />
      <ModelStatusBadge onOpen={() => onNavigate('quality')} />
      <ConnectorsIndicator onOpen={() => onNavigate('devices')} />
      <ConnectionIndicator />
      {me && (
        <span className="me" title={t('header.signedInAs')}>
          {me.name}
        </span>
      )}
      <LanguageSwitch />
      <button
        type="button"
        className="icon-button help-button"
        data-testid="help-button"
        aria-label={t('shortcuts.title')}
        title={`${t('shortcuts.title')} (?)`}
        onClick={onHelp}
      >
        ?
      </button>
    </header>
  );
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { initI18n } from './app/i18n';
import { StoresProvider } from './app/stores-context';
import './app/theme.css';
import { connect } from './rpc/connect';
import { createAppStores } from './stores/app-stores';

initI18n();
const client = connect();
const { stores } = createAppStores(client);
void stores.config.getState().load();
void stores.views.getState().load();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  </StrictMode>,
);

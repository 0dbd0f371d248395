// Entry of the studio page: render the shell over whatever `window.api` the host installed. The
// URL's route (app/routes.ts) is applied first, so the views mount already showing where it points.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { getApi } from './api/get-api';
import { bindUrlRoute } from './app/url-route';

const api = getApi();
if (!(api instanceof Error)) bindUrlRoute(api);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} />
  </StrictMode>,
);

// Entry of the studio page: render the shell over whatever `window.api` the host installed. The
// URL's route (app/routes.ts) is applied first, so the views mount already showing where it points.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { canStream, getApi } from './api/get-api';
import { bindUrlRoute } from './app/url-route';
import { warmDecoder } from './features/waterfall/trace-decoder';

const api = getApi();
if (!(api instanceof Error)) bindUrlRoute(api);
// The trace decoder's worker loads while the user looks at the list, not after they click a trace.
if (!(api instanceof Error) && canStream(api)) warmDecoder();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} />
  </StrictMode>,
);

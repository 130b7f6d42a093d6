import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createDataLayer } from './api';
import { Root } from './app/Root';
import { loadConfig } from './lib/config';
import './app/theme.css';

const layer = createDataLayer(loadConfig());
// Read-only counters for support and the browser test: reconnects, sequence gaps, last stream error.
(window as unknown as { omsStreamStats: unknown }).omsStreamStats = layer.ws.stats;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root layer={layer} />
  </StrictMode>,
);

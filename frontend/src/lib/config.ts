// Runtime configuration: public/config.js sets window.OMS_CONFIG before the bundle runs, so one build serves
// every environment. Empty or missing values fall back to the page's own origin.

export interface OmsConfig {
  /** Base for REST, without a trailing slash; "" = same origin. */
  apiBaseUrl: string;
  /** Full WebSocket URL (ws:// or wss://). */
  wsUrl: string;
}

declare global {
  interface Window {
    OMS_CONFIG?: Partial<OmsConfig>;
  }
}

export function loadConfig(w: Pick<Window, 'location'> & { OMS_CONFIG?: Partial<OmsConfig> } = window): OmsConfig {
  const raw = w.OMS_CONFIG ?? {};
  const apiBaseUrl = (raw.apiBaseUrl ?? '').replace(/\/+$/, '');
  let wsUrl = raw.wsUrl ?? '';
  if (!wsUrl) {
    const base = apiBaseUrl || w.location.origin;
    wsUrl = `${base.replace(/^http/, 'ws')}/ws`;
  }
  return { apiBaseUrl, wsUrl };
}

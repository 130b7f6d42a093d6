// Runtime configuration, loaded before the bundle. A deployment (S3, CDN) overwrites this file; the bundle
// itself carries no environment. Empty strings mean "same origin as the page".
//   apiBaseUrl: e.g. "https://api.example.com"   (REST: <apiBaseUrl>/api/...)
//   wsUrl:      e.g. "wss://api.example.com/ws"   (defaults to <apiBaseUrl or page origin>/ws)
window.OMS_CONFIG = {
  apiBaseUrl: "",
  wsUrl: "",
};

/** newIdempotencyKey makes a key for one logical order: 1–64 of [A-Za-z0-9._:-], as the gateway requires. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return `web-${c.randomUUID()}`;
  return `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

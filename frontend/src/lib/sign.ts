// Request signing, the same scheme as every API client (docs/openapi.yaml, "Authentication"):
//   X-OMS-Signature = lower-case hex HMAC-SHA256(secret, timestamp + METHOD + pathAndQuery + body)
// plain concatenation, no separators; body is the exact bytes sent ("" when there is none). The dashboard
// signs one request only, POST /api/session; the secret is used here and not kept: the key is imported
// non-extractable and dropped when the promise settles.

export const HEADER_KEY = 'X-OMS-Key';
export const HEADER_TIMESTAMP = 'X-OMS-Timestamp';
export const HEADER_SIGNATURE = 'X-OMS-Signature';

/** SigningUnavailable: this page cannot use WebCrypto (it needs a secure context: https or localhost). */
export class SigningUnavailable extends Error {
  constructor() {
    super('WebCrypto is not available on this page (it needs https)');
    this.name = 'SigningUnavailable';
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** sign returns the lower-case hex HMAC-SHA256 signature of one request. */
export async function sign(secret: string, timestampMillis: string, method: string, pathAndQuery: string, body = ''): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new SigningUnavailable();
  const key = await subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await subtle.sign('HMAC', key, utf8(timestampMillis + method.toUpperCase() + pathAndQuery + body));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** signedHeaders are the three headers that authenticate one request with an API key. */
export async function signedHeaders(
  keyId: string,
  secret: string,
  method: string,
  pathAndQuery: string,
  body = '',
  now: () => number = Date.now,
): Promise<Record<string, string>> {
  const ts = String(Math.trunc(now()));
  return {
    [HEADER_KEY]: keyId,
    [HEADER_TIMESTAMP]: ts,
    [HEADER_SIGNATURE]: await sign(secret, ts, method, pathAndQuery, body),
  };
}

// @vitest-environment node
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, signedHeaders } from './sign';

describe('sign', () => {
  it('matches the Go implementation (auth.Sign) on the shared vector', async () => {
    // secret, timestamp, method, path, empty body → signature, computed with hotpath/domain/auth.Sign.
    expect(await sign('0123456789abcdef0123', '1764000000000', 'POST', '/api/session', '')).toBe(
      '7ca7f824f32846ba396714e7ced926b98b690a5ef169eba194ad176729534f01',
    );
  });

  it('is HMAC-SHA256 of timestamp + METHOD + path with query + body, in lower-case hex', async () => {
    const secret = 'sëcret/with+odd=chars';
    const body = '{"symbol":"BTC-USD","note":"ü"}';
    const want = createHmac('sha256', secret).update(`1764000000123PATCH/api/orders/o-1?x=1&y=%2F${body}`).digest('hex');
    expect(await sign(secret, '1764000000123', 'PATCH', '/api/orders/o-1?x=1&y=%2F', body)).toBe(want);
    expect(await sign(secret, '1764000000123', 'patch', '/api/orders/o-1?x=1&y=%2F', body)).toBe(want);
  });

  it('gives the three headers, stamped with the time in Unix milliseconds', async () => {
    const h = await signedHeaders('k1', 'shh', 'POST', '/api/session', '', () => 1764000000000.7);
    expect(h).toEqual({
      'X-OMS-Key': 'k1',
      'X-OMS-Timestamp': '1764000000000',
      'X-OMS-Signature': createHmac('sha256', 'shh').update('1764000000000POST/api/session').digest('hex'),
    });
  });
});

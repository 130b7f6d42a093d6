import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe as suite, expect, it } from 'vitest';
import { describe, isKnownCode } from './errors';

const doc = resolve(process.cwd(), '../docs/errors.md'); // vitest runs in frontend/

suite('error words', () => {
  it('speaks a trader’s language and keeps the numbers', () => {
    expect(describe('INSUFFICIENT_BALANCE', 'required=100 USD, available=5 USD')).toBe('Insufficient balance. (required=100 USD, available=5 USD)');
    expect(describe('SOMETHING_NEW')).toBe('Something new.');
    expect(describe(undefined, 'raw')).toBe('raw');
  });

  // The code table is shared with docs/errors.md: every code documented there has words here.
  it.skipIf(!existsSync(doc))('covers every code in docs/errors.md', () => {
    const codes = new Set([...readFileSync(doc, 'utf8').matchAll(/`([A-Z][A-Z0-9_]{3,})`/g)].map((m) => m[1]!));
    for (const skip of ['DENIED', 'REJECTED', 'CANCELED', 'EXPIRED', 'CANCEL_REJECTED', 'REPLACE_REJECTED']) codes.delete(skip);
    const missing = [...codes].filter((c) => !isKnownCode(c));
    expect(missing).toEqual([]);
  });
});

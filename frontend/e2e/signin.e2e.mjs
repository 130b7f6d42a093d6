// End-to-end sign-in: the dashboard in Debian's chromium against an omsd NOT in dev mode, as in AWS:
// nothing works unsigned, the trader signs in with an API key (OMS_E2E_KEY_ID / OMS_E2E_SECRET: omsd's
// demo key), and the session cookie then carries order entry, the stream and the order-query function.
//
// Scenario: the sign-in screen shows; a wrong secret is refused in words; the right one opens the app
// with the stream live; a limit order appears in open orders and is readable through order-query with
// the cookie (and refused without the CSRF header); the cookie is out of the page's reach and the secret
// is nowhere in storage; signing out returns to the sign-in screen, also after a reload.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const base = process.env.OMS_E2E_URL ?? 'http://127.0.0.1:8080/';
const keyId = process.env.OMS_E2E_KEY_ID;
const secret = process.env.OMS_E2E_SECRET;
const out = resolve(process.env.OMS_E2E_ARTIFACTS ?? fileURLToPath(new URL('../../test-artifacts/e2e/', import.meta.url)));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const T = 15_000;
if (!keyId || !secret) {
  console.error('e2e signin: set OMS_E2E_KEY_ID and OMS_E2E_SECRET (omsd prints its demo key)');
  process.exit(2);
}
await mkdir(out, { recursive: true });
const log = (m) => console.log(`e2e signin: ${m}`);
const shots = [];
let step = 'launch';

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
async function shot(name) {
  const p = resolve(out, `signin-${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: p, fullPage: false });
  shots.push(p);
}
async function signIn(id, s) {
  const form = page.getByTestId('signin-form');
  await form.locator('input[name=keyId]').fill(id);
  await form.locator('input[name=secret]').fill(s);
  await form.locator('input[name=secret]').press('Enter');
}
const api = (path, withHeader = true) =>
  page.evaluate(
    async ([p, h]) => {
      const r = await fetch(p, { headers: h ? { 'X-OMS-Session': '1' } : {} });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    [path, withHeader],
  );

try {
  step = 'the sign-in screen shows';
  await page.goto(base, { waitUntil: 'domcontentloaded', timeout: T });
  await page.getByTestId('signin-form').waitFor({ timeout: T });
  if ((await api('./api/orders')).status !== 401) throw new Error('order-query answered without a session');

  step = 'a wrong secret is refused in words';
  await signIn(keyId, `${secret}x`);
  const err = page.getByTestId('signin-error');
  await err.waitFor({ timeout: T });
  const words = (await err.textContent()) ?? '';
  if (/INVALID_SIGNATURE|undefined/.test(words) || words.length < 10) throw new Error(`refusal reads "${words}"`);
  if ((await page.locator('input[name=secret]').inputValue()) !== '') throw new Error('the secret stayed in the form');
  await shot('refused');
  log(`wrong secret: "${words}"`);

  step = 'the right secret opens the app with the stream live';
  await signIn(keyId, secret);
  await page.waitForSelector('[data-testid=connection-status][data-status=open]', { timeout: T });
  await page.waitForSelector('[data-testid=ticker-bid][data-value]', { timeout: T });
  const who = (await page.getByTestId('account-id').textContent()) ?? '';
  log(`signed in as ${who.trim()}`);

  step = 'a limit order appears in open orders';
  const bid = Number(await page.getByTestId('ticker-bid').getAttribute('data-value'));
  const form = page.getByTestId('order-form');
  await form.locator('select[name=orderType]').selectOption('LIMIT');
  await form.locator('input[name=price]').fill((Math.round(bid * 0.9 * 100) / 100).toFixed(2));
  await form.locator('input[name=quantity]').fill('0.01');
  await form.locator('input[name=quantity]').press('Enter');
  await page.waitForSelector('[data-testid=order-status][data-order-id]', { timeout: T });
  const orderId = await page.getByTestId('order-status').getAttribute('data-order-id');
  await page.locator(`[data-testid=open-orders] tr[data-order-id="${orderId}"]`).waitFor({ timeout: T });
  await shot('signed-in-order-open');

  step = 'order-query answers the cookie, and refuses it without the CSRF header';
  let q = { status: 0 };
  for (const until = Date.now() + T; Date.now() < until; await page.waitForTimeout(200)) {
    q = await api(`./api/orders/${orderId}`);
    if (q.status === 200) break;
  }
  if (q.status !== 200 || q.body?.orderId !== orderId) throw new Error(`GET /api/orders/${orderId} with the session: ${JSON.stringify(q)}`);
  const csrf = await api(`./api/orders/${orderId}`, false);
  if (csrf.status !== 401 || csrf.body?.code !== 'SESSION_HEADER_REQUIRED') throw new Error(`without X-OMS-Session: ${JSON.stringify(csrf)}`);
  log(`order ${orderId} read through order-query with the session; refused without the header`);

  step = 'the cookie and the secret are out of the page';
  const leaked = await page.evaluate((s) => document.cookie.includes('oms_session') || JSON.stringify({ ...localStorage, ...sessionStorage }).includes(s), secret);
  if (leaked) throw new Error('the session cookie is readable by the page, or the secret is in storage');

  step = 'sign out, also across a reload';
  await page.getByTestId('sign-out').click();
  await page.getByTestId('signin-form').waitFor({ timeout: T });
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByTestId('signin-form').waitFor({ timeout: T });
  if ((await api('./api/orders')).status !== 401) throw new Error('still authenticated after signing out');
  await shot('signed-out');
  if (pageErrors.length) throw new Error(`page errors: ${pageErrors.join(' | ')}`);
  log(`PASS — screenshots:\n  ${shots.join('\n  ')}`);
  await browser.close();
} catch (e) {
  await shot('failure').catch(() => {});
  console.error(`e2e signin: FAIL at "${step}": ${e instanceof Error ? e.message : e}`);
  await browser.close();
  process.exit(1);
}

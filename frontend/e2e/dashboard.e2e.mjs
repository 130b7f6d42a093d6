// End-to-end: the dashboard in Debian's chromium (playwright-core, no browser download) against a running
// omsd (issue 4, Tests). OMS_E2E_URL (default http://127.0.0.1:8080/) must serve the built dashboard, /ws
// and the order API, in dev mode (loopback = the demo account).
//
// Scenario: the chart renders with candles; a limit order away from the market appears in open orders; it
// is amended, then canceled; a marketable order fills and a fill and a position appear without a reload; an
// order over the per-order quantity limit is denied and the form shows the risk reason in words.
// Screenshots go to ../test-artifacts/e2e/ (OMS_E2E_ARTIFACTS overrides); the script prints where.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const base = process.env.OMS_E2E_URL ?? 'http://127.0.0.1:8080/';
const out = resolve(process.env.OMS_E2E_ARTIFACTS ?? fileURLToPath(new URL('../../test-artifacts/e2e/', import.meta.url)));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const symbol = 'BTC-USD';
const T = 15_000;

await mkdir(out, { recursive: true });
for (const f of await readdir(out)) if (f.endsWith('.png')) await rm(resolve(out, f)); // only this run's screenshots
const shots = [];
let step = 'launch';
const log = (m) => console.log(`e2e: ${m}`);

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
// Failed loads are expected (GET /api/admin/whoami answers 404 until the admin API exists); script errors are not.
page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && pageErrors.push(`console: ${m.text()}`));
let navigations = 0;
page.on('framenavigated', (f) => f === page.mainFrame() && navigations++);

async function shot(name) {
  const p = resolve(out, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: p, fullPage: false });
  shots.push(p);
}

/** Step-size arithmetic on strings, as the dashboard does (no float in what is sent). */
function onTick(v, tick) {
  const d = (tick.split('.')[1] ?? '').length;
  const t = Number(tick);
  return (Math.round(v / t) * t).toFixed(d);
}
const digits = (s) => s.replace(/[^0-9.]/g, '');

async function placeOrder({ side = 'BUY', type, price, quantity }) {
  const form = page.getByTestId('order-form');
  await form.getByRole('button', { name: new RegExp(`^${side === 'BUY' ? 'Buy' : 'Sell'} `) }).first().click();
  await form.locator('select[name=orderType]').selectOption(type);
  if (price !== undefined) await form.locator('input[name=price]').fill(price);
  const prev = await page.getByTestId('order-status').getAttribute('data-order-id').catch(() => null);
  await form.locator('input[name=quantity]').fill(quantity);
  await form.locator('input[name=quantity]').press('Enter'); // keyboard submit
  const status = page.getByTestId('order-status');
  await page.waitForFunction(
    (p) => {
      const el = document.querySelector('[data-testid=order-status]');
      return el && el.getAttribute('data-order-id') !== p;
    },
    prev,
    { timeout: T },
  );
  return { orderId: await status.getAttribute('data-order-id'), status };
}

try {
  step = 'open the dashboard';
  await page.goto(base, { waitUntil: 'domcontentloaded', timeout: T });
  await page.waitForSelector('[data-testid=connection-status][data-status=open]', { timeout: T });
  log(`connected to ${base}`);

  step = 'chart renders with candles';
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=chart-host]')?.getAttribute('data-candles')) > 0, null, { timeout: T });
  await page.waitForSelector('[data-testid=chart-host] canvas', { timeout: T });
  const candles = await page.getByTestId('chart-host').getAttribute('data-candles');
  await page.waitForSelector('[data-testid=ticker-bid][data-value]', { timeout: T });
  await page.waitForSelector('[data-testid=balances] tr[data-asset]', { timeout: T });
  await page.waitForTimeout(500); // let the chart paint
  await shot('dashboard-chart');
  log(`chart has ${candles} candles`);

  step = 'candle interval switch';
  await page.getByRole('group', { name: 'Candle interval' }).getByRole('button', { name: '5m', exact: true }).click();
  await page.waitForFunction(() => {
    const h = document.querySelector('[data-testid=chart-host]');
    return h?.getAttribute('data-status') === 'ready' && Number(h.getAttribute('data-candles')) > 0;
  }, null, { timeout: T });
  await page.getByRole('group', { name: 'Candle interval' }).getByRole('button', { name: '1m', exact: true }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=chart-host]')?.getAttribute('data-candles')) > 0, null, { timeout: T });

  const inst = await page.evaluate(async () => (await (await fetch('./api/instruments')).json()).instruments);
  const tick = inst.find((i) => i.symbol === 'BTC-USD')?.tickSize ?? '0.01';
  const bid = Number(await page.getByTestId('ticker-bid').getAttribute('data-value'));

  step = 'limit order away from the market appears in open orders';
  const limitPrice = onTick(bid * 0.95, tick);
  const lim = await placeOrder({ type: 'LIMIT', price: limitPrice, quantity: '0.01' });
  const row = page.locator(`[data-testid=open-orders] tr[data-order-id="${lim.orderId}"]`);
  await row.waitFor({ timeout: T });
  await page.waitForFunction((id) => !/pending/i.test(document.querySelector(`[data-testid=open-orders] tr[data-order-id="${id}"]`)?.textContent ?? 'pending'), lim.orderId, { timeout: T });
  await shot('limit-open');
  log(`limit BUY 0.01 @ ${limitPrice} is open (${lim.orderId})`);

  step = 'amend the limit order';
  const amended = onTick(bid * 0.94, tick);
  await row.getByRole('button', { name: 'Amend' }).click();
  await row.getByLabel('New price').fill(amended);
  await row.getByLabel('New price').press('Enter');
  await page.waitForFunction(
    ([id, want]) => (document.querySelector(`[data-testid=open-orders] tr[data-order-id="${id}"] [data-testid=order-price]`)?.textContent ?? '').replace(/[^0-9.]/g, '') === want,
    [lim.orderId, digits(amended)],
    { timeout: T },
  );
  await shot('limit-amended');
  log(`amended to ${amended}`);

  step = 'cancel the limit order';
  await row.getByRole('button', { name: 'Cancel' }).click();
  await row.waitFor({ state: 'detached', timeout: T });
  await page.getByTestId('tab-history').click();
  await page.locator(`[data-testid=order-history] tr[data-order-id="${lim.orderId}"]`).filter({ hasText: /Canceled/ }).waitFor({ timeout: T });
  await shot('limit-canceled');
  await page.getByTestId('tab-open').click();
  log('canceled');

  step = 'marketable order fills; a fill and a position appear without reload';
  const mkt = await placeOrder({ type: 'MARKET', quantity: '0.01' });
  await page.waitForSelector('[data-testid=order-status][data-status=FILLED]', { timeout: T });
  await page.getByTestId('tab-fills').click();
  await page.locator(`[data-testid=fills] tr[data-order-id="${mkt.orderId}"]`).waitFor({ timeout: T });
  await shot('market-filled');
  await page.getByTestId('tab-positions').click();
  await page.locator(`[data-testid=positions] tr[data-symbol="${symbol}"]`).waitFor({ timeout: T });
  await shot('position');
  await page.getByTestId('tab-open').click();
  log(`market BUY 0.01 filled (${mkt.orderId}); fill and ${symbol} position shown`);

  step = 'denied order shows the risk reason';
  const den = await placeOrder({ type: 'LIMIT', price: onTick(bid * 0.95, tick), quantity: '60' });
  await page.waitForSelector(`[data-testid=order-status][data-order-id="${den.orderId}"][data-status=DENIED]`, { timeout: T });
  const why = (await den.status.textContent()) ?? '';
  if (!/—\s*\S/.test(why)) throw new Error(`denied order shows no reason: "${why}"`);
  await shot('order-denied');
  log(`denied: ${why}`);

  step = 'no reload, no page errors';
  if (navigations !== 1) throw new Error(`the page navigated ${navigations} times`);
  if (pageErrors.length) throw new Error(`page errors:\n${pageErrors.join('\n')}`);

  step = 'large screen';
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(500);
  await shot('dashboard-1920');

  log(`stream stats: ${JSON.stringify(await page.evaluate(() => window.omsStreamStats))}`);
  console.log(`e2e: PASS — screenshots in ${out}:\n  ${shots.join('\n  ')}`);
  await browser.close();
} catch (e) {
  await shot('failure').catch(() => {});
  console.error(`e2e: FAIL at "${step}": ${e instanceof Error ? e.message : e}`);
  if (pageErrors.length) console.error(`page errors:\n${pageErrors.join('\n')}`);
  console.error(`e2e: screenshots in ${out}:\n  ${shots.join('\n  ')}`);
  await browser.close();
  process.exit(1);
}

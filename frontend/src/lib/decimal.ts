// Prices and quantities travel as decimal strings and stay strings. This module does the little exact
// arithmetic the dashboard needs (notional, reservations, tick rounding) on scaled BigInts; numbers are
// used only to draw (the chart) and never to compute what is sent to the server.

interface Dec {
  n: bigint; // unscaled value
  s: number; // scale: value = n / 10^s
}

const DEC_RE = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** parse returns undefined for anything that is not a plain decimal ("1", "-0.5", ".5", "2."). */
function parse(v: string): Dec | undefined {
  const m = DEC_RE.exec(v.trim());
  if (!m) return undefined;
  const [, sign, int = '', frac = ''] = m;
  if (int === '' && frac === '') return undefined;
  const n = BigInt((int || '0') + frac);
  return { n: sign === '-' ? -n : n, s: frac.length };
}

function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.s, b.s);
  return [a.n * pow10(s - a.s), b.n * pow10(s - b.s), s];
}

function str(d: Dec): string {
  const neg = d.n < 0n;
  let digits = (neg ? -d.n : d.n).toString();
  if (d.s > 0) {
    digits = digits.padStart(d.s + 1, '0');
    digits = `${digits.slice(0, -d.s)}.${digits.slice(-d.s)}`;
  }
  return (neg && /[1-9]/.test(digits) ? '-' : '') + digits;
}

/** trim removes trailing fractional zeros: "1.2300" → "1.23", "5.000" → "5". */
function trim(v: string): string {
  return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
}

/** isDecimal reports whether v parses as a decimal. */
export function isDecimal(v: string): boolean {
  return parse(v) !== undefined;
}

/** decimalsOf is the number of fractional digits a tick or lot size carries ("0.01" → 2, "0.5" → 1, "1" → 0). */
export function decimalsOf(step: string): number {
  const t = trim(step);
  const i = t.indexOf('.');
  return i < 0 ? 0 : t.length - i - 1;
}

export function add(a: string, b: string): string {
  const x = parse(a), y = parse(b);
  if (!x || !y) return 'NaN';
  const [p, q, s] = align(x, y);
  return trim(str({ n: p + q, s }));
}

export function sub(a: string, b: string): string {
  const x = parse(a), y = parse(b);
  if (!x || !y) return 'NaN';
  const [p, q, s] = align(x, y);
  return trim(str({ n: p - q, s }));
}

export function mul(a: string, b: string): string {
  const x = parse(a), y = parse(b);
  if (!x || !y) return 'NaN';
  return trim(str({ n: x.n * y.n, s: x.s + y.s }));
}

/** cmp returns -1, 0 or 1; NaN inputs compare as 0. */
export function cmp(a: string, b: string): number {
  const x = parse(a), y = parse(b);
  if (!x || !y) return 0;
  const [p, q] = align(x, y);
  return p < q ? -1 : p > q ? 1 : 0;
}

export function isZero(a: string): boolean {
  const x = parse(a);
  return !!x && x.n === 0n;
}

export function isNegative(a: string): boolean {
  const x = parse(a);
  return !!x && x.n < 0n;
}

/**
 * roundToStep rounds v to a multiple of step, half away from zero, and prints it with the step's decimals:
 * roundToStep("30123.456", "0.01") = "30123.46", roundToStep("7.3", "0.5") = "7.5".
 */
export function roundToStep(v: string, step: string): string {
  const x = parse(v), st = parse(step);
  if (!x || !st || st.n === 0n) return v;
  const [a, b, s] = align(x, st);
  const bAbs = b < 0n ? -b : b;
  const neg = a < 0n;
  const aAbs = neg ? -a : a;
  let k = aAbs / bAbs;
  if ((aAbs % bAbs) * 2n >= bAbs) k += 1n;
  const r = { n: (neg ? -k : k) * bAbs, s };
  const out = str(r);
  return fixDecimals(out, decimalsOf(step));
}

/** floorToStep rounds toward zero to a multiple of step (for quantities: never more than the user typed). */
export function floorToStep(v: string, step: string): string {
  const x = parse(v), st = parse(step);
  if (!x || !st || st.n === 0n) return v;
  const [a, b, s] = align(x, st);
  const k = a / b; // BigInt division truncates toward zero
  return fixDecimals(str({ n: k * b, s }), decimalsOf(step));
}

/** isMultipleOf reports whether v lies on the step grid. */
export function isMultipleOf(v: string, step: string): boolean {
  const x = parse(v), st = parse(step);
  if (!x || !st || st.n === 0n) return false;
  const [a, b] = align(x, st);
  return a % b === 0n;
}

/** fixDecimals pads or rounds (half away from zero) v to exactly d fractional digits. */
export function fixDecimals(v: string, d: number): string {
  const x = parse(v);
  if (!x) return v;
  if (x.s <= d) return str({ n: x.n * pow10(d - x.s), s: d });
  const div = pow10(x.s - d);
  const neg = x.n < 0n;
  const abs = neg ? -x.n : x.n;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return str({ n: neg ? -q : q, s: d });
}

/** group inserts thousands separators in the integer part: "1234567.5" → "1,234,567.5". */
export function group(v: string): string {
  const [int = '', frac] = v.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const g = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + g + (frac !== undefined ? `.${frac}` : '');
}

/** formatPrice prints a price on the instrument's tick with grouping; empty or invalid prints "—". */
export function formatPrice(v: string | undefined | null, tick: string): string {
  if (v === undefined || v === null || v === '' || !isDecimal(v)) return '—';
  return group(roundToStep(v, tick));
}

/** formatQty prints a quantity with the lot's decimals. */
export function formatQty(v: string | undefined | null, lot: string): string {
  if (v === undefined || v === null || v === '' || !isDecimal(v)) return '—';
  return group(fixDecimals(v, decimalsOf(lot)));
}

/** formatAmount prints a money amount with a fixed number of decimals. */
export function formatAmount(v: string | undefined | null, decimals = 2): string {
  if (v === undefined || v === null || v === '' || !isDecimal(v)) return '—';
  return group(fixDecimals(v, decimals));
}

/** toNumber is for drawing only (chart coordinates, depth bars). */
export function toNumber(v: string | undefined): number {
  if (v === undefined) return NaN;
  return Number(v);
}

// Display helpers shared by features (time, side classes); number formatting lives in lib/decimal.

/** timeOf prints an RFC 3339 time as local HH:MM:SS. */
export function timeOf(ts: string | undefined): string {
  if (!ts) return '—';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleTimeString(undefined, { hour12: false });
}

/** sideClass keeps green = buy/up, red = sell/down everywhere. */
export function sideClass(side: string | undefined): string {
  return side === 'BUY' ? 'up' : side === 'SELL' ? 'down' : '';
}

export function signClass(v: string | undefined): string {
  if (!v) return '';
  const t = v.trim();
  if (t.startsWith('-')) return 'down';
  return /[1-9]/.test(t) ? 'up' : '';
}

export const titleCase = (s: string) => s.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());

/** stampOf prints an RFC 3339 time as local HH:MM:SS today and YYYY-MM-DD HH:MM:SS before (history rows). */
export function stampOf(ts: string | undefined, now: Date = new Date()): string {
  if (!ts) return '—';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '—';
  const time = d.toLocaleTimeString(undefined, { hour12: false });
  if (d.toDateString() === now.toDateString()) return time;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}`;
}

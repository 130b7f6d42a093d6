import type { SocketLike } from '../api';

/** FakeSocket stands in for the browser WebSocket: tests open it, feed it frames and read what was sent. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number, reason?: string): void {
    this.readyState = 3;
    this.closed = { ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) };
  }

  // test side
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  frame(f: unknown): void {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  serverClose(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  ops(op?: string): Record<string, unknown>[] {
    return this.sent.filter((m) => !op || m.op === op);
  }
}

/** sockets records every FakeSocket a client creates, newest last. */
export function socketFactory() {
  const all: FakeSocket[] = [];
  return {
    all,
    create: (url: string) => {
      const s = new FakeSocket(url);
      all.push(s);
      return s;
    },
    last: () => all[all.length - 1]!,
  };
}

// The one WebSocket client (docs/websocket.md). It owns the socket and every subscription:
//   - reconnects with exponential backoff and jitter, and resubscribes everything after a reconnect;
//   - checks each channel's seq: a gap (seq ≠ last + 1) marks the channel stale and resyncs it by
//     unsubscribing and subscribing again, which brings a fresh snapshot; updates before that snapshot are
//     dropped;
//   - pings to stay under the server's idle limit and treats a silent socket (no frame, not even a
//     heartbeat) as dead.
// It knows nothing of React; the store (store.ts) turns its events into Loadable state.

import type { ClientOp, ServerFrame } from './types';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface Subscription {
  channel: string;
  symbol?: string;
  depth?: number;
}

/** ChannelEvent is what a subscriber hears about its channel. */
export type ChannelEvent =
  | { kind: 'snapshot'; seq: number; data: unknown }
  | { kind: 'update'; seq: number; data: unknown }
  | { kind: 'stale'; reason: 'disconnected' | 'gap' }
  | { kind: 'error'; code: string; msg?: string };

/** SocketLike is the part of the browser WebSocket the client uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WsClientOptions {
  /** url is asked before every connection attempt (so a fresh short-lived token can be fetched). */
  url: () => string | Promise<string>;
  createSocket?: (url: string) => SocketLike;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** random in [0,1) for jitter; tests pin it. */
  random?: () => number;
  pingIntervalMs?: number;
  /** A socket silent for this long is closed and replaced (the server sends a heartbeat every 10 s). */
  deadAfterMs?: number;
}

export interface WsStats {
  reconnects: number;
  gaps: number;
  lastError?: { code: string; msg?: string };
}

const OPEN = 1;

export function subscriptionKey(s: Subscription): string {
  return s.symbol ? `${s.channel}|${s.symbol}` : s.channel;
}

interface Entry {
  sub: Subscription;
  handlers: Set<(e: ChannelEvent) => void>;
  lastSeq: number | null;
  awaitingSnapshot: boolean;
}

export class WsClient {
  private readonly opts: Required<Omit<WsClientOptions, 'createSocket'>> & Pick<WsClientOptions, 'createSocket'>;
  private readonly entries = new Map<string, Entry>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private socket: SocketLike | null = null;
  private status: ConnectionStatus = 'closed';
  private attempt = 0;
  private started = false;
  private generation = 0; // bumps on stop: a connect still awaiting its URL from before then gives up
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private nextId = 1;
  private readonly pendingIds = new Map<string, string>(); // op id → subscription key
  readonly stats: WsStats = { reconnects: 0, gaps: 0 };

  constructor(opts: WsClientOptions) {
    this.opts = {
      initialBackoffMs: 500,
      maxBackoffMs: 15_000,
      random: Math.random,
      pingIntervalMs: 20_000,
      deadAfterMs: 35_000,
      ...opts,
    };
  }

  /** start connects (once); the client then keeps itself connected until stop. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  stop(): void {
    this.started = false;
    this.generation++;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPing();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.close(1000, 'client stop');
    }
    this.setStatus('closed');
  }

  getStatus(): ConnectionStatus {
    return this.status;
  }

  onStatus(f: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(f);
    return () => this.statusListeners.delete(f);
  }

  /** subscribe adds a handler for a channel; the returned function removes it (and unsubscribes when last). */
  subscribe(sub: Subscription, handler: (e: ChannelEvent) => void): () => void {
    const key = subscriptionKey(sub);
    let e = this.entries.get(key);
    if (!e) {
      e = { sub, handlers: new Set(), lastSeq: null, awaitingSnapshot: true };
      this.entries.set(key, e);
      this.sendSubscribe(e);
    }
    e.handlers.add(handler);
    const entry = e;
    return () => {
      entry.handlers.delete(handler);
      if (entry.handlers.size === 0 && this.entries.get(key) === entry) {
        this.entries.delete(key);
        this.send({ op: 'unsubscribe', channel: entry.sub.channel, ...(entry.sub.symbol ? { symbol: entry.sub.symbol } : {}) });
      }
    };
  }

  private setStatus(s: ConnectionStatus): void {
    if (this.status === s) return;
    this.status = s;
    for (const f of this.statusListeners) f(s);
  }

  private async connect(): Promise<void> {
    if (!this.started) return;
    const gen = this.generation;
    this.setStatus(this.attempt === 0 && this.stats.reconnects === 0 ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      url = await this.opts.url();
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (!this.started || gen !== this.generation) return;
    let sock: SocketLike;
    try {
      sock = this.opts.createSocket ? this.opts.createSocket(url) : (new WebSocket(url) as unknown as SocketLike);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = sock;
    sock.onopen = () => {
      if (this.socket !== sock) return;
      this.setStatus('open');
      this.lastFrameAt = Date.now();
      for (const e of this.entries.values()) {
        e.lastSeq = null;
        e.awaitingSnapshot = true;
        this.sendSubscribe(e);
      }
      this.startPing(sock);
    };
    sock.onmessage = (ev) => {
      if (this.socket !== sock) return;
      this.lastFrameAt = Date.now();
      this.attempt = 0; // the server talks: the next outage starts its backoff afresh
      if (typeof ev.data !== 'string') return;
      let f: ServerFrame;
      try {
        f = JSON.parse(ev.data) as ServerFrame;
      } catch {
        return;
      }
      this.handle(f);
    };
    sock.onerror = () => {
      /* onclose follows */
    };
    sock.onclose = () => {
      if (this.socket !== sock) return;
      this.socket = null;
      this.stopPing();
      for (const e of this.entries.values()) {
        e.lastSeq = null;
        e.awaitingSnapshot = true;
        this.emit(e, { kind: 'stale', reason: 'disconnected' });
      }
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (!this.started) {
      this.setStatus('closed');
      return;
    }
    this.setStatus('reconnecting');
    const { initialBackoffMs, maxBackoffMs, random } = this.opts;
    const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** this.attempt);
    const delay = Math.round(base * (0.5 + random() / 2));
    this.attempt++;
    this.stats.reconnects++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private startPing(sock: SocketLike): void {
    this.stopPing();
    const every = Math.min(this.opts.pingIntervalMs, Math.max(1000, Math.floor(this.opts.deadAfterMs / 3)));
    this.pingTimer = setInterval(() => {
      if (this.socket !== sock) return;
      if (Date.now() - this.lastFrameAt > this.opts.deadAfterMs) {
        // Silent socket: drop it and reconnect as if the server had closed it.
        const onclose = sock.onclose;
        sock.onclose = null;
        sock.close(4000, 'no frames');
        onclose?.({ code: 4000, reason: 'no frames' });
        return;
      }
      this.send({ op: 'ping' });
    }, every);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private send(op: ClientOp): boolean {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return false;
    s.send(JSON.stringify(op));
    return true;
  }

  private sendSubscribe(e: Entry): void {
    const id = String(this.nextId++);
    const key = subscriptionKey(e.sub);
    if (this.send({ op: 'subscribe', ...e.sub, id })) this.pendingIds.set(id, key);
  }

  private resync(e: Entry): void {
    this.stats.gaps++;
    e.lastSeq = null;
    e.awaitingSnapshot = true;
    this.emit(e, { kind: 'stale', reason: 'gap' });
    this.send({ op: 'unsubscribe', channel: e.sub.channel, ...(e.sub.symbol ? { symbol: e.sub.symbol } : {}) });
    this.sendSubscribe(e);
  }

  private emit(e: Entry, ev: ChannelEvent): void {
    for (const h of [...e.handlers]) h(ev);
  }

  private handle(f: ServerFrame): void {
    switch (f.type) {
      case 'snapshot':
      case 'update': {
        const e = this.entries.get(subscriptionKey({ channel: f.channel, ...(f.symbol ? { symbol: f.symbol } : {}) }));
        if (!e) return; // a frame for a channel we left
        if (f.type === 'snapshot') {
          e.lastSeq = f.seq;
          e.awaitingSnapshot = false;
          this.emit(e, { kind: 'snapshot', seq: f.seq, data: f.data });
          return;
        }
        if (e.awaitingSnapshot) return; // in flight from before a resync
        if (e.lastSeq !== null && f.seq !== e.lastSeq + 1) {
          this.resync(e);
          return;
        }
        e.lastSeq = f.seq;
        this.emit(e, { kind: 'update', seq: f.seq, data: f.data });
        return;
      }
      case 'subscribed':
        if (f.id) this.pendingIds.delete(f.id);
        return;
      case 'error': {
        this.stats.lastError = { code: f.code, ...(f.msg ? { msg: f.msg } : {}) };
        let key: string | undefined;
        if (f.id) {
          key = this.pendingIds.get(f.id);
          this.pendingIds.delete(f.id);
        }
        if (!key && f.channel) key = subscriptionKey({ channel: f.channel, ...(f.symbol ? { symbol: f.symbol } : {}) });
        const e = key ? this.entries.get(key) : undefined;
        if (e) this.emit(e, { kind: 'error', code: f.code, ...(f.msg ? { msg: f.msg } : {}) });
        return;
      }
      case 'unsubscribed':
      case 'heartbeat':
      case 'pong':
        return;
      default:
        return;
    }
  }
}

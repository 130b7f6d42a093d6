import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WsClient, type ChannelEvent } from './ws';
import { socketFactory } from '../test/fakeSocket';

async function flush() {
  // connect() awaits the URL: let the microtasks run
  await Promise.resolve();
  await Promise.resolve();
}

function setup(opts: Partial<ConstructorParameters<typeof WsClient>[0]> = {}) {
  const f = socketFactory();
  const c = new WsClient({ url: () => 'ws://test/ws', createSocket: f.create, random: () => 1, initialBackoffMs: 100, maxBackoffMs: 1000, ...opts });
  const events: ChannelEvent[] = [];
  return { f, c, events };
}

describe('WsClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes on open and delivers the snapshot then in-sequence updates', async () => {
    const { f, c, events } = setup();
    c.subscribe({ channel: 'ticker', symbol: 'BTC-USD' }, (e) => events.push(e));
    c.start();
    await flush();
    expect(c.getStatus()).toBe('connecting');
    f.last().open();
    expect(c.getStatus()).toBe('open');
    expect(f.last().ops('subscribe')).toEqual([{ op: 'subscribe', channel: 'ticker', symbol: 'BTC-USD', id: expect.any(String) }]);
    f.last().frame({ type: 'snapshot', channel: 'ticker', symbol: 'BTC-USD', seq: 1, data: { last: '1' } });
    f.last().frame({ type: 'update', channel: 'ticker', symbol: 'BTC-USD', seq: 2, data: { last: '2' } });
    f.last().frame({ type: 'update', channel: 'ticker', symbol: 'ETH-USD', seq: 7, data: { last: 'x' } }); // not ours
    expect(events).toEqual([
      { kind: 'snapshot', seq: 1, data: { last: '1' } },
      { kind: 'update', seq: 2, data: { last: '2' } },
    ]);
  });

  it('detects a sequence gap, marks the channel stale and resubscribes for a fresh snapshot', async () => {
    const { f, c, events } = setup();
    c.subscribe({ channel: 'orders' }, (e) => events.push(e));
    c.start();
    await flush();
    const s = f.last();
    s.open();
    s.frame({ type: 'snapshot', channel: 'orders', seq: 1, data: { orders: [] } });
    s.frame({ type: 'update', channel: 'orders', seq: 2, data: 'a' });
    s.frame({ type: 'update', channel: 'orders', seq: 4, data: 'c' }); // 3 is missing
    expect(events.at(-1)).toEqual({ kind: 'stale', reason: 'gap' });
    expect(c.stats.gaps).toBe(1);
    const ops = s.sent.slice(-2);
    expect(ops[0]).toEqual({ op: 'unsubscribe', channel: 'orders' });
    expect(ops[1]).toMatchObject({ op: 'subscribe', channel: 'orders' });
    // updates still in flight from the old subscription are dropped until the new snapshot
    s.frame({ type: 'update', channel: 'orders', seq: 5, data: 'd' });
    expect(events.filter((e) => e.kind === 'update')).toHaveLength(1);
    s.frame({ type: 'snapshot', channel: 'orders', seq: 1, data: { orders: ['fresh'] } });
    s.frame({ type: 'update', channel: 'orders', seq: 2, data: 'e' });
    expect(events.slice(-2)).toEqual([
      { kind: 'snapshot', seq: 1, data: { orders: ['fresh'] } },
      { kind: 'update', seq: 2, data: 'e' },
    ]);
  });

  it('a duplicate (old) seq is a gap too', async () => {
    const { f, c, events } = setup();
    c.subscribe({ channel: 'balances' }, (e) => events.push(e));
    c.start();
    await flush();
    f.last().open();
    f.last().frame({ type: 'snapshot', channel: 'balances', seq: 1, data: {} });
    f.last().frame({ type: 'update', channel: 'balances', seq: 1, data: {} });
    expect(events.at(-1)).toEqual({ kind: 'stale', reason: 'gap' });
  });

  it('reconnects with exponential backoff and resubscribes every channel', async () => {
    const { f, c, events } = setup();
    c.subscribe({ channel: 'book', symbol: 'BTC-USD', depth: 5 }, (e) => events.push(e));
    c.subscribe({ channel: 'positions' }, () => {});
    c.start();
    await flush();
    f.last().open();
    f.last().frame({ type: 'snapshot', channel: 'book', symbol: 'BTC-USD', seq: 1, data: {} });

    f.last().serverClose();
    expect(c.getStatus()).toBe('reconnecting');
    expect(events.at(-1)).toEqual({ kind: 'stale', reason: 'disconnected' });
    expect(f.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(f.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 100 ms: first retry
    expect(f.all).toHaveLength(2);

    f.last().serverClose(); // fails before opening: the next wait doubles
    await vi.advanceTimersByTimeAsync(199);
    expect(f.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.all).toHaveLength(3);

    const s = f.last();
    s.open();
    expect(c.getStatus()).toBe('open');
    expect(s.ops('subscribe').map((o) => [o.channel, o.symbol, o.depth])).toEqual([
      ['book', 'BTC-USD', 5],
      ['positions', undefined, undefined],
    ]);
    // the first update after reconnect needs the new snapshot first
    s.frame({ type: 'update', channel: 'book', symbol: 'BTC-USD', seq: 9, data: {} });
    expect(events.at(-1)).toEqual({ kind: 'stale', reason: 'disconnected' });
    s.frame({ type: 'snapshot', channel: 'book', symbol: 'BTC-USD', seq: 1, data: { fresh: true } });
    expect(events.at(-1)).toEqual({ kind: 'snapshot', seq: 1, data: { fresh: true } });
    expect(c.stats.reconnects).toBe(2);
  });

  it('caps the backoff and resets it once the server talks again', async () => {
    const { f, c } = setup();
    c.start();
    await flush();
    for (let i = 0; i < 6; i++) {
      f.last().serverClose();
      await vi.advanceTimersByTimeAsync(1000); // max
    }
    expect(f.all).toHaveLength(7);
    f.last().open();
    f.last().frame({ type: 'heartbeat', time: 'now' });
    f.last().serverClose();
    await vi.advanceTimersByTimeAsync(100); // back to the initial delay
    expect(f.all).toHaveLength(8);
  });

  it('pings to stay alive and replaces a socket that went silent', async () => {
    const { f, c } = setup({ pingIntervalMs: 1000, deadAfterMs: 3000 });
    c.start();
    await flush();
    f.last().open();
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.last().ops('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000); // nothing heard for > 3 s
    expect(f.all[0]!.closed).toEqual({ code: 4000, reason: 'no frames' });
    expect(c.getStatus()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(f.all).toHaveLength(2);
  });

  it('routes an error frame to the subscription it answers', async () => {
    const { f, c, events } = setup();
    c.subscribe({ channel: 'orders' }, (e) => events.push(e));
    c.start();
    await flush();
    f.last().open();
    const id = f.last().ops('subscribe')[0]!.id;
    f.last().frame({ type: 'error', code: 'UNAUTHENTICATED', msg: 'no token', id });
    expect(events).toEqual([{ kind: 'error', code: 'UNAUTHENTICATED', msg: 'no token' }]);
  });

  it('unsubscribes when the last handler leaves and stops for good on stop()', async () => {
    const { f, c } = setup();
    const off = c.subscribe({ channel: 'trades', symbol: 'SOL-USD' }, () => {});
    c.start();
    await flush();
    f.last().open();
    off();
    expect(f.last().ops('unsubscribe')).toEqual([{ op: 'unsubscribe', channel: 'trades', symbol: 'SOL-USD' }]);
    c.stop();
    expect(c.getStatus()).toBe('closed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(f.all).toHaveLength(1);
  });

  it('asks for the URL on every attempt (a fresh token each time)', async () => {
    let n = 0;
    const { f, c } = setup({ url: async () => `ws://test/ws?token=t${++n}` });
    c.start();
    await flush();
    f.last().serverClose();
    await vi.advanceTimersByTimeAsync(100);
    await flush();
    expect(f.all.map((s) => s.url)).toEqual(['ws://test/ws?token=t1', 'ws://test/ws?token=t2']);
  });
});

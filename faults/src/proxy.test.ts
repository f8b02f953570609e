import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, faultProxy } from './proxy.js';

/** An echo server, the upstream. */
let echo: Server;
let echoPort: number;
let proxy: FaultProxy;

beforeAll(async () => {
  echo = createServer((s) => s.pipe(s));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoPort = (echo.address() as { port: number }).port;
  proxy = await faultProxy(echoPort);
});

afterAll(async () => {
  await proxy.close();
  echo.close();
});

async function open(): Promise<Socket> {
  const s = connect(proxy.port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}

/** Writes `text` and resolves with the echo and how long it took, or undefined after `waitMs`. */
function roundTrip(s: Socket, text: string, waitMs = 1_000): Promise<number | undefined> {
  const started = performance.now();
  return new Promise((resolve) => {
    let got = '';
    const timer = setTimeout(() => {
      s.off('data', onData);
      resolve(undefined);
    }, waitMs);
    const onData = (c: Buffer) => {
      got += c.toString();
      if (got.length < text.length) return;
      clearTimeout(timer);
      s.off('data', onData);
      resolve(performance.now() - started);
    };
    s.on('data', onData);
    s.write(text);
  });
}

describe('faultProxy', () => {
  it('passes bytes both ways', async () => {
    const s = await open();
    expect(await roundTrip(s, 'hello')).toBeLessThan(500);
    s.destroy();
  });

  it('cut: destroys open connections and refuses new ones until healed', async () => {
    const s = await open();
    const closed = once(s, 'close');
    await proxy.cut();
    await closed;
    const refused = connect(proxy.port, '127.0.0.1');
    const [err] = (await once(refused, 'error').catch((e) => [e])) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
    await proxy.heal();
    const again = await open();
    expect(await roundTrip(again, 'back')).toBeLessThan(500);
    again.destroy();
  });

  it('stall: keeps the connection but passes nothing until healed', async () => {
    const s = await open();
    proxy.stall();
    expect(await roundTrip(s, 'held', 300)).toBeUndefined();
    const late = await open(); // accepted while stalled
    const pending = roundTrip(late, 'later', 2_000);
    await proxy.heal();
    expect(await pending).toBeDefined();
    s.destroy();
    late.destroy();
  });

  it('slow: delays each chunk', async () => {
    const s = await open();
    proxy.slow(150);
    const took = await roundTrip(s, 'slowly', 2_000);
    expect(took).toBeGreaterThanOrEqual(290); // one delay each way
    await proxy.heal();
    expect(await roundTrip(s, 'fast')).toBeLessThan(150);
    s.destroy();
  });
});

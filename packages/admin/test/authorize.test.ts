import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminRouter } from '../src/express.js';
import { adminConsole } from '../src/index.js';

let origin: string;
let close: () => void;
let calls = 0;

beforeAll(async () => {
  const app = express();
  const admin = adminConsole({
    authorize: async () => {
      calls++;
      throw new Error('session store unreachable');
    },
  });
  app.use('/admin', adminRouter(admin));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

it('answers a failing authorize with a 500 problem and keeps serving', async () => {
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${origin}/admin/api/session`);
    expect(r.status).toBe(500);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  }
  expect(calls).toBe(2);
});

it('refuses bad percent-encoding with 400, and asks authorize before telling whether a call exists', async () => {
  expect((await fetch(`${origin}/admin/api/%E0%A4%A`)).status).toBe(400);
  const before = calls;
  expect((await fetch(`${origin}/admin/api/nothing`)).status).toBe(500);
  expect(calls).toBe(before + 1);
});

import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, PlatformError } from '../src/index.js';
import { expressApp } from './apps.js';
import { closeServer } from './support.js';

const metrics = recordingMetrics();
let app: Awaited<ReturnType<typeof expressApp>>;

beforeAll(async () => {
  app = await expressApp(
    {
      'not-found': async () => {
        throw new NotFoundError('Order 42 not found');
      },
      shipped: async () => {
        throw new PlatformError('Order 42 is shipped', { category: 'conflict', code: 'shipped' });
      },
      internal: async () => {
        throw new Error('db down');
      },
    },
    { production: true, onError: () => {} },
  );
});

afterAll(async () => {
  await closeServer(app.server);
  metrics.restore();
});

describe('platform_errors_total', () => {
  it('counts every answered error by category and code, over a real Express app', async () => {
    const statuses: number[] = [];
    for (const path of [
      '/boom/not-found',
      '/boom/shipped',
      '/boom/shipped',
      '/boom/internal',
      '/nowhere',
    ]) {
      statuses.push((await fetch(`${app.url}${path}`)).status);
    }
    expect(statuses).toEqual([404, 409, 409, 500, 404]);
    const errors = 'platform_errors_total';
    expect(metrics.value(errors, { category: 'not_found', code: 'not_found' })).toBe(2);
    expect(metrics.value(errors, { category: 'conflict', code: 'shipped' })).toBe(2);
    expect(metrics.value(errors, { category: 'internal', code: 'internal' })).toBe(1);
    expect(metrics.value(errors)).toBe(5);
  });
});

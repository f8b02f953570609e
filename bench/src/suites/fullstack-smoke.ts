import { PATH } from '../fullstack-checks.js';
import { defineSuite } from '../suite.js';
import { bareVariant, ours } from './fullstack.js';

/**
 * The `fullstack` suite's smoke test, run by `pnpm bench --quick` in CI: the whole chain on
 * both frameworks at 100 % sampling, each part checked by `verify` (the full suite, with
 * peers and the ablation, takes minutes and runs only when named).
 */
export default defineSuite({
  name: 'fullstack-smoke',
  description:
    'GET /api/items/:id through our whole chain (100% sampling) next to bare Express 5 / Fastify 5: the fullstack suite in one scenario.',
  request: { path: PATH },
  variants: [
    bareVariant('fastify'),
    ours('fastify', '100'),
    bareVariant('express'),
    ours('express', '100'),
  ],
});

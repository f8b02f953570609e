import { PATH } from '../fullstack-checks.js';
import { defineSuite } from '../suite.js';
import { ours } from './fullstack.js';

/**
 * The `fullstack` suite's smoke test, run by `pnpm bench --quick` in CI: the whole chain on
 * both frameworks at 100 % sampling, each part checked by `verify` (the full suite, with
 * bare, the peers and the ablation, takes minutes and runs only when named). Two server
 * runs, each its kind's baseline: the smoke proves the chain starts, acts and takes load;
 * its ratios come from the full suite.
 */
export default defineSuite({
  name: 'fullstack-smoke',
  description:
    'GET /api/items/:id through our whole chain (100% sampling) on Express 5 and Fastify 5: the fullstack suite in one scenario.',
  request: { path: PATH },
  variants: [
    { ...ours('fastify', '100'), baseline: true },
    { ...ours('express', '100'), baseline: true },
  ],
});

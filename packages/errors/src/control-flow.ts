import { causes, isObject } from './shape.js';

const NEXT_DIGESTS = new Set([
  'DYNAMIC_SERVER_USAGE',
  'BAILOUT_TO_CLIENT_SIDE_RENDERING',
  'HANGING_PROMISE_REJECTION',
]);

/**
 * Next's control-flow throws (`notFound()`, `redirect()`, dynamic bailouts), which must
 * reach Next rather than become a problem response.
 */
export function isNextControlFlow(err: unknown): boolean {
  return causes(err).some((e) => {
    const digest = isObject(e) ? e.digest : undefined;
    return typeof digest === 'string' && (digest.startsWith('NEXT_') || NEXT_DIGESTS.has(digest));
  });
}

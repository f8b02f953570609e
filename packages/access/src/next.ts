// next bindings of @platform/access.

export { withApiKey } from './keys/next.js';

// express bindings of @platform/access.

export { apiKeyAuth, requireScope } from './keys/express.js';

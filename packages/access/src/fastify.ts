// fastify bindings of @platform/access.

export { apiKeyAuth, requireScope } from './keys/fastify.js';

// fastify bindings of @platform/access.
export {};

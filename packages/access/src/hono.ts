// hono bindings of @platform/access.
export {};

// next bindings of @platform/access.
export {};

// express bindings of @platform/access.
export {};

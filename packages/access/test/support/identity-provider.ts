// The test IdP lives with the examples, which run it in-process as the demo's login.
export * from '../../../../examples/shared/identity-provider.js';

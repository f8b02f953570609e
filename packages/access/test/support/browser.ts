// The login-driving browser is shared with the examples' end-to-end tests.
export * from '../../../../examples/test-support/browser.js';

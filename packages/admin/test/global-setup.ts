import { buildUi } from '../web/build.mjs';

// The UI is built at package build time; in the workspace the tests build it first.
export default async function setup() {
  await buildUi();
}

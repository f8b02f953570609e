export type { Resolved } from './fetch.js';
export type { RotationCallback, RotationInfo } from './rotation.js';
export { type Secrets, type SecretsOptions, secrets } from './secrets.js';

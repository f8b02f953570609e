export { parseEnvWithSecrets, resolveSecretRefs } from './resolve.js';
export { entropy, type ScanFinding, type ScanOptions, type ScanReason, scanEnv } from './scan.js';

export {
  ENVELOPE_PREFIX,
  type Envelope,
  FORMAT_VERSION,
  isSealed,
  type KeyRef,
  openBytes,
  openEnvelope,
  parseEnvelope,
  type SealInput,
  sealBytes,
} from './envelope.js';

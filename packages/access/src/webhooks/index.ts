export {
  acceptWebhook,
  RAW_BODY_UNAVAILABLE,
  refusalAnswer as webhookRefusalAnswer,
  type WebhookDelivery,
  type WebhookExchange,
} from './http.js';
export { type RedisReplayStoreOptions, redisReplayStore } from './redis.js';
export { type MemoryReplayStoreOptions, memoryReplayStore, type ReplayStore } from './replay.js';
export {
  type HeaderFault,
  type SignedParts,
  standardScheme,
  timestampedScheme,
  type WebhookScheme,
} from './schemes.js';
export { type SignWebhookOptions, signWebhook } from './sign.js';
export {
  type VerifiedWebhook,
  type WebhookInput,
  type WebhookRefusal,
  type WebhookVerifier,
  type WebhookVerifierOptions,
  webhookVerifier,
} from './verify.js';

export {
  type GenAiRequest,
  requestAttributes,
  responseAttributes,
  usageAttributes,
} from './attributes.js';
export { choiceFinishReasons, type GenAiResponse, responseOf } from './response.js';
export {
  type GenAiCallOptions,
  type GenAiOutcome,
  type GenAiReading,
  genAiCall,
  readResponse,
  recordSpanError,
} from './span.js';
export { type StreamUsage, type StreamUsageTracker, streamUsage } from './stream.js';
export {
  detectShape,
  fromAnthropic,
  fromOpenAIChat,
  fromOpenAIResponses,
  inputTotal,
  normalizeUsage,
  outputTotal,
  totalTokens,
  type Usage,
  type UsageShape,
  usageOf,
  ZERO_USAGE,
} from './usage.js';

/**
 * Provider response bodies as OpenAI and Anthropic document them (Chat Completions object
 * and chunk, Responses object and streaming events, Messages object and streaming events),
 * with what their token counts mean written out by hand from the providers' documentation:
 *
 * - OpenAI Chat: `prompt_tokens` includes `prompt_tokens_details.cached_tokens`;
 *   `completion_tokens` includes `completion_tokens_details.reasoning_tokens`.
 * - OpenAI Responses: `input_tokens` includes `input_tokens_details.cached_tokens`;
 *   `output_tokens` includes `output_tokens_details.reasoning_tokens`.
 * - Anthropic Messages: `input_tokens` excludes `cache_read_input_tokens` and
 *   `cache_creation_input_tokens`; a stream's `message_delta` usage is cumulative.
 *
 * `attributes` are the OpenTelemetry GenAI span attributes (`gen_ai.usage.input_tokens`
 * counts every input token, cached ones included); `usage` is the split that bills each
 * token once; `costNanoUsd` prices it by hand with the default pricing table.
 */

export type Api = 'chat' | 'responses' | 'messages';

export interface SseEvent {
  /** The SSE `event:` line (Responses and Anthropic name their events; Chat does not). */
  event?: string;
  data: unknown;
}

export interface ProviderFixture {
  name: string;
  provider: 'openai' | 'anthropic';
  api: Api;
  model: string;
  /** The body of a call that is not streamed. */
  body?: Record<string, unknown>;
  /** The events of a streamed call, in order. */
  events?: SseEvent[];
  expected: {
    attributes: Record<string, number>;
    usage: {
      inputTokens: number;
      cacheReadTokens: number;
      cacheWriteTokens: number;
      outputTokens: number;
      reasoningTokens: number;
    };
    costNanoUsd: bigint;
    responseModel: string;
    finishReasons?: string[];
  };
}

export const API_PATHS: Record<Api, string> = {
  chat: '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
};

const openaiChat: ProviderFixture = {
  name: 'openai-chat',
  provider: 'openai',
  api: 'chat',
  model: 'gpt-4o',
  body: {
    id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
    object: 'chat.completion',
    created: 1741570283,
    model: 'gpt-4o-2024-08-06',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Your order #1042 shipped yesterday and arrives on Friday.',
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 1117,
      completion_tokens: 46,
      total_tokens: 1163,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fc9f1d7035',
  },
  expected: {
    attributes: {
      'gen_ai.usage.input_tokens': 1117,
      'gen_ai.usage.output_tokens': 46,
      'gen_ai.usage.cache_read.input_tokens': 1024,
    },
    usage: {
      inputTokens: 93,
      cacheReadTokens: 1024,
      cacheWriteTokens: 0,
      outputTokens: 46,
      reasoningTokens: 0,
    },
    // gpt-4o: $2.50 input, $1.25 cached input, $10.00 output per million tokens
    costNanoUsd: 93n * 2500n + 1024n * 1250n + 46n * 10_000n,
    responseModel: 'gpt-4o-2024-08-06',
    finishReasons: ['stop'],
  },
};

const chunk = (choices: unknown[], usage: unknown = null) => ({
  data: {
    id: 'chatcmpl-BNbRAg3c0cA3bnB1mEXbXmVzXo2Zu',
    object: 'chat.completion.chunk',
    created: 1744983180,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_0392822090',
    choices,
    usage,
  },
});
const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
  index: 0,
  delta: d,
  logprobs: null,
  finish_reason: finish,
});

// `stream_options: { include_usage: true }`: every chunk carries `usage: null` but the last,
// which has no choices and the usage of the whole request.
const openaiChatStream: ProviderFixture = {
  name: 'openai-chat-stream',
  provider: 'openai',
  api: 'chat',
  model: 'gpt-4o-mini',
  events: [
    chunk([delta({ role: 'assistant', content: '', refusal: null })]),
    chunk([delta({ content: 'Hello' })]),
    chunk([delta({ content: ' there' })]),
    chunk([delta({ content: '!' })]),
    chunk([delta({}, 'stop')]),
    chunk([], {
      prompt_tokens: 1079,
      completion_tokens: 9,
      total_tokens: 1088,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    }),
    { data: '[DONE]' },
  ],
  expected: {
    attributes: {
      'gen_ai.usage.input_tokens': 1079,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.usage.cache_read.input_tokens': 1024,
    },
    usage: {
      inputTokens: 55,
      cacheReadTokens: 1024,
      cacheWriteTokens: 0,
      outputTokens: 9,
      reasoningTokens: 0,
    },
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output
    costNanoUsd: 55n * 150n + 1024n * 75n + 9n * 600n,
    responseModel: 'gpt-4o-mini-2024-07-18',
    finishReasons: ['stop'],
  },
};

function responseObject(a: {
  id: string;
  model: string;
  status: string;
  text: string;
  usage: unknown;
}) {
  return {
    id: a.id,
    object: 'response',
    created_at: 1741476777,
    status: a.status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: a.model,
    output:
      a.status === 'completed'
        ? [
            { id: 'rs_6876cf02e0bc8192b74af0fb64b715ff', type: 'reasoning', summary: [] },
            {
              id: 'msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41',
              type: 'message',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text: a.text, annotations: [], logprobs: [] }],
            },
          ]
        : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: 'medium', summary: null },
    service_tier: 'default',
    store: true,
    temperature: 1.0,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1.0,
    truncation: 'disabled',
    usage: a.usage,
    user: null,
    metadata: {},
  };
}

const openaiResponses: ProviderFixture = {
  name: 'openai-responses',
  provider: 'openai',
  api: 'responses',
  model: 'o4-mini',
  body: responseObject({
    id: 'resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41',
    model: 'o4-mini-2025-04-16',
    status: 'completed',
    text: 'Refunds are issued to the original payment method within 5 business days.',
    usage: {
      input_tokens: 2114,
      input_tokens_details: { cached_tokens: 1920 },
      output_tokens: 612,
      output_tokens_details: { reasoning_tokens: 448 },
      total_tokens: 2726,
    },
  }),
  expected: {
    attributes: {
      'gen_ai.usage.input_tokens': 2114,
      'gen_ai.usage.output_tokens': 612,
      'gen_ai.usage.cache_read.input_tokens': 1920,
      'gen_ai.usage.reasoning.output_tokens': 448,
    },
    usage: {
      inputTokens: 194,
      cacheReadTokens: 1920,
      cacheWriteTokens: 0,
      outputTokens: 164,
      reasoningTokens: 448,
    },
    // o4-mini: $1.10 input, $0.275 cached input, $4.40 output (reasoning billed as output)
    costNanoUsd: 194n * 1100n + 1920n * 275n + 164n * 4400n + 448n * 4400n,
    responseModel: 'o4-mini-2025-04-16',
  },
};

const streamedResponse = (status: string, usage: unknown) =>
  responseObject({
    id: 'resp_68af4030592c81938ec0a5fbab4a3e9f05438e46b5f69a3b',
    model: 'gpt-5-mini-2025-08-07',
    status,
    text: 'Hi there!',
    usage,
  });
const itemId = 'msg_68af4033ee2c8193a3e2e8d7b6d3a1d905438e46b5f69a3b';

// Semantic events, each with its `event:` name; the usage comes with `response.completed`.
const openaiResponsesStream: ProviderFixture = {
  name: 'openai-responses-stream',
  provider: 'openai',
  api: 'responses',
  model: 'gpt-5-mini',
  events: [
    ['response.created', { response: streamedResponse('in_progress', null) }],
    ['response.in_progress', { response: streamedResponse('in_progress', null) }],
    [
      'response.output_item.added',
      {
        output_index: 1,
        item: {
          id: itemId,
          type: 'message',
          status: 'in_progress',
          content: [],
          role: 'assistant',
        },
      },
    ],
    [
      'response.content_part.added',
      {
        item_id: itemId,
        output_index: 1,
        content_index: 0,
        part: { type: 'output_text', annotations: [], logprobs: [], text: '' },
      },
    ],
    ...['Hi', ' there', '!'].map((d) => [
      'response.output_text.delta',
      { item_id: itemId, output_index: 1, content_index: 0, delta: d, logprobs: [] },
    ]),
    [
      'response.output_text.done',
      { item_id: itemId, output_index: 1, content_index: 0, text: 'Hi there!', logprobs: [] },
    ],
    [
      'response.completed',
      {
        response: streamedResponse('completed', {
          input_tokens: 1540,
          input_tokens_details: { cached_tokens: 1408 },
          output_tokens: 310,
          output_tokens_details: { reasoning_tokens: 256 },
          total_tokens: 1850,
        }),
      },
    ],
  ].map(([event, data], i) => ({
    event: event as string,
    data: { type: event, sequence_number: i, ...(data as object) },
  })),
  expected: {
    attributes: {
      'gen_ai.usage.input_tokens': 1540,
      'gen_ai.usage.output_tokens': 310,
      'gen_ai.usage.cache_read.input_tokens': 1408,
      'gen_ai.usage.reasoning.output_tokens': 256,
    },
    usage: {
      inputTokens: 132,
      cacheReadTokens: 1408,
      cacheWriteTokens: 0,
      outputTokens: 54,
      reasoningTokens: 256,
    },
    // gpt-5-mini: $0.25 input, $0.025 cached input, $2.00 output (reasoning billed as output)
    costNanoUsd: 132n * 250n + 1408n * 25n + 54n * 2000n + 256n * 2000n,
    responseModel: 'gpt-5-mini-2025-08-07',
  },
};

const anthropicMessages: ProviderFixture = {
  name: 'anthropic-messages',
  provider: 'anthropic',
  api: 'messages',
  model: 'claude-opus-4-5',
  body: {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-4-5-20251101',
    content: [{ type: 'text', text: 'The contract renews automatically on March 1.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 14,
      cache_creation_input_tokens: 1302,
      cache_read_input_tokens: 2048,
      cache_creation: { ephemeral_5m_input_tokens: 1302, ephemeral_1h_input_tokens: 0 },
      output_tokens: 230,
      service_tier: 'standard',
    },
  },
  expected: {
    attributes: {
      'gen_ai.usage.input_tokens': 14 + 1302 + 2048,
      'gen_ai.usage.output_tokens': 230,
      'gen_ai.usage.cache_read.input_tokens': 2048,
      'gen_ai.usage.cache_creation.input_tokens': 1302,
    },
    usage: {
      inputTokens: 14,
      cacheReadTokens: 2048,
      cacheWriteTokens: 1302,
      outputTokens: 230,
      reasoningTokens: 0,
    },
    // claude-opus-4-5: $5 input, $0.50 cache read, $6.25 5-minute cache write, $25 output
    costNanoUsd: 14n * 5000n + 2048n * 500n + 1302n * 6250n + 230n * 25_000n,
    responseModel: 'claude-opus-4-5-20251101',
    finishReasons: ['end_turn'],
  },
};

// message_start carries the input counts (and a first output count); message_delta the
// cumulative output count.
const anthropicMessagesStream: ProviderFixture = {
  name: 'anthropic-messages-stream',
  provider: 'anthropic',
  api: 'messages',
  model: 'claude-haiku-4-5',
  events: [
    [
      'message_start',
      {
        message: {
          id: 'msg_01D7FLsfJKbMMkPTGfE2QzHZ',
          type: 'message',
          role: 'assistant',
          content: [],
          model: 'claude-haiku-4-5-20251001',
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 22,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 4096,
            cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
            output_tokens: 1,
            service_tier: 'standard',
          },
        },
      },
    ],
    ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', {}],
    ...['Three', ' open', ' invoices.'].map((text) => [
      'content_block_delta',
      { index: 0, delta: { type: 'text_delta', text } },
    ]),
    ['content_block_stop', { index: 0 }],
    [
      'message_delta',
      { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 118 } },
    ],
    ['message_stop', {}],
  ].map(([event, data]) => ({
    event: event as string,
    data: { type: event, ...(data as object) },
  })),
  expected: {
    attributes: {
      'gen_ai.usage.input_tokens': 22 + 4096,
      'gen_ai.usage.output_tokens': 118,
      'gen_ai.usage.cache_read.input_tokens': 4096,
    },
    usage: {
      inputTokens: 22,
      cacheReadTokens: 4096,
      cacheWriteTokens: 0,
      outputTokens: 118,
      reasoningTokens: 0,
    },
    // claude-haiku-4-5: $1 input, $0.10 cache read, $5 output
    costNanoUsd: 22n * 1000n + 4096n * 100n + 118n * 5000n,
    responseModel: 'claude-haiku-4-5-20251001',
    finishReasons: ['end_turn'],
  },
};

export const PROVIDER_FIXTURES: readonly ProviderFixture[] = [
  openaiChat,
  openaiChatStream,
  openaiResponses,
  openaiResponsesStream,
  anthropicMessages,
  anthropicMessagesStream,
];

/** The chunks a client library yields for a streamed fixture: the JSON of each event. */
export function streamedChunks(f: ProviderFixture): unknown[] {
  return (f.events ?? []).filter((e) => e.data !== '[DONE]').map((e) => e.data);
}

/** A fixture's events as the provider sends them on the wire. */
export function toSse(events: readonly SseEvent[]): string {
  return events
    .map((e) => {
      const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
      return `${e.event ? `event: ${e.event}\n` : ''}data: ${data}\n\n`;
    })
    .join('');
}

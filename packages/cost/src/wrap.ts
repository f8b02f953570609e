import type { CostControl } from './control.js';
import { guard } from './guard.js';

export interface WrapOptions {
  /** Defaults to the request's tenant (core context). */
  tenant?: string;
  /** Defaults to the request's actor id. */
  user?: string;
  apiKey?: string;
}

type Params = Record<string, unknown>;

const METHODS: Record<string, string> = {
  'chat.completions.create': 'chat',
  'responses.create': 'chat',
  'messages.create': 'chat',
};

const PREFIXES = new Set(['chat', 'chat.completions', 'responses', 'messages']);

function maxTokens(p: Params): number | undefined {
  for (const k of ['max_completion_tokens', 'max_tokens', 'max_output_tokens']) {
    const v = p[k];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  }
  return undefined;
}

/**
 * Wraps an OpenAI-shaped (`chat.completions.create`, `responses.create`) or Anthropic-shaped
 * (`messages.create`) client so that every call goes through `guard`: admission, the call
 * (with a downgraded model when the policy says so), settlement, span and usage record.
 * Streamed calls ask OpenAI for usage on the final chunk (`stream_options.include_usage`).
 *
 * @example
 * const ai = withCostControl(new OpenAI(), control, { tenant: 'acme', user: 'u1' });
 * await ai.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 200 });
 */
export function withCostControl<C extends object>(
  client: C,
  control: CostControl,
  options: WrapOptions = {},
): C {
  const wrapAt = <O extends object>(target: O, path: string[]): O =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver);
        if (typeof prop !== 'string') return value;
        const at = [...path, prop];
        const op = METHODS[at.join('.')];
        if (op && typeof value === 'function') {
          return (params: Params, ...rest: unknown[]) => {
            const request: Params = { ...params };
            if (at[0] === 'chat' && request.stream === true) {
              request.stream_options = {
                ...(request.stream_options as Params),
                include_usage: true,
              };
            }
            return guard(
              control,
              {
                ...options,
                model: String(request.model),
                input: [
                  request.system,
                  request.messages,
                  request.input,
                  request.instructions,
                  request.tools,
                ],
                maxOutputTokens: maxTokens(request),
                operation: op,
              },
              (model) => value.call(t, { ...request, model }, ...rest),
            );
          };
        }
        if (value !== null && typeof value === 'object' && PREFIXES.has(at.join('.'))) {
          return wrapAt(value, at);
        }
        return value;
      },
    });
  return wrapAt(client, []);
}

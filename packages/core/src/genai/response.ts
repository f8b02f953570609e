/** What a provider said about its answer, beside the usage; every field optional. */
export interface GenAiResponse {
  /** `gen_ai.response.id`: `chatcmpl-…`, `resp_…`, `msg_…`. */
  id?: string;
  /** `gen_ai.response.model`: the model that answered (often a dated snapshot of the one asked). */
  model?: string;
  /** `gen_ai.response.finish_reasons`: one per choice (OpenAI Chat) or the `stop_reason` (Anthropic). */
  finishReasons?: string[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;

/** The finish reasons of OpenAI Chat `choices` (a completion or a stream chunk). */
export function choiceFinishReasons(choices: unknown): string[] {
  if (!Array.isArray(choices)) return [];
  const out: string[] = [];
  for (const c of choices) {
    const reason = isObj(c) ? str(c.finish_reason) : undefined;
    if (reason) out.push(reason);
  }
  return out;
}

/**
 * Reads id, model and finish reasons from an OpenAI Chat Completions, OpenAI Responses or
 * Anthropic Messages response body.
 *
 * @example
 * const { model, finishReasons } = responseOf(await openai.chat.completions.create(req));
 */
export function responseOf(body: unknown): GenAiResponse {
  if (!isObj(body)) return {};
  const reasons = Array.isArray(body.choices)
    ? choiceFinishReasons(body.choices)
    : [str(body.stop_reason)].filter((r): r is string => r !== undefined);
  const out: GenAiResponse = {};
  const id = str(body.id);
  const model = str(body.model);
  if (id) out.id = id;
  if (model) out.model = model;
  if (reasons.length > 0) out.finishReasons = reasons;
  return out;
}

import { getContext } from '@platform/core';
import { z } from 'zod';
import { exampleCost } from '../../../../lib/features/cost';
import { readJson } from '../../../../lib/json';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

const chatSchema = z.strictObject({
  prompt: z.string().min(1).max(4000),
  model: z.string().min(1).max(100).default('gpt-4o-mini'),
  maxTokens: z.number().int().min(1).max(1024).default(256),
});

/** One AI call through the cost-controlled client: 429 quota_exceeded when the budget is used. */
export const POST = route('/api/ai/chat', async (request) => {
  const input = chatSchema.parse(await readJson(request));
  const reply = await exampleCost().ai.chat.completions.create({
    model: input.model,
    messages: [{ role: 'user', content: input.prompt }],
    max_tokens: input.maxTokens,
  });
  return Response.json({
    requestId: getContext()?.requestId,
    model: reply.model,
    reply: reply.choices[0]?.message.content,
    usage: reply.usage,
  });
});

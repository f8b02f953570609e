import { getContext } from '@platform/core';
import {
  type CostControl,
  type CostHandlers,
  costControl,
  costHandlers,
  withCostControl,
} from '@platform/cost';
import { reportToPdf } from '@platform/cost/pdf';
import { fakeAiClient } from '../../../test-support/fake-ai';
import type { RouteFeature } from './types';

interface ExampleCost {
  control: CostControl;
  handlers: CostHandlers;
  ai: ReturnType<typeof fakeAiClient>;
}

const KEY = Symbol.for('platform.example.cost');

/**
 * One cost control per server process (route bundles may each evaluate this module), on
 * memory stores. Every tenant gets PLATFORM_COST_CALLS_PER_DAY calls a day and
 * PLATFORM_COST_USD_PER_MONTH a month; the AI client is the fake provider at FAKE_AI_URL,
 * or an in-process fake when unset.
 */
export function exampleCost(): ExampleCost {
  const g = globalThis as { [KEY]?: ExampleCost };
  if (g[KEY]) return g[KEY];
  const env = process.env;
  const control = costControl({
    budgets: {
      default: {
        timeZone: env.PLATFORM_COST_TIME_ZONE ?? 'UTC',
        limits: [
          { metric: 'calls', period: 'day', max: Number(env.PLATFORM_COST_CALLS_PER_DAY ?? 1000) },
          { metric: 'money', period: 'month', max: env.PLATFORM_COST_USD_PER_MONTH ?? '50.00' },
        ],
      },
    },
  });
  g[KEY] = {
    control,
    handlers: costHandlers({
      control,
      isAdmin: () => getContext()?.actor?.roles.includes('admin') ?? false,
      pdf: reportToPdf, // format=pdf reports (needs pdf-lib)
    }),
    ai: withCostControl(fakeAiClient(env.FAKE_AI_URL), control),
  };
  return g[KEY];
}

/**
 * Cost control applies where the AI is called (the wrapped client in exampleCost), not per
 * route: this feature passes every handler through unchanged.
 */
export const cost: RouteFeature = (handler) => handler;

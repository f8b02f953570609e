import { bare, oursChain, PATH, peersChain } from '../fullstack-checks.js';
import { DROP_ENV, PARTS } from '../servers/fullstack-common.js';
import { type Comparison, defineSuite, serverUrl, type Variant } from '../suite.js';

type Kind = 'express' | 'fastify';
type Rate = '10' | '100';

/** Issue 19's goals: the full chain's req/s over bare, per framework and sampling rate. */
const GOALS: Record<Kind, Record<Rate, number>> = {
  fastify: { '10': 0.5, '100': 0.4 },
  express: { '10': 0.8, '100': 0.7 },
};
/** ... and over the peer stack, both frameworks, both rates. */
const PEER_GOAL = 3;
/** The ablation runs at the production default sampling rate. */
const ABLATION_RATE: Rate = '10';

const bareVariant = (kind: Kind): Variant => ({
  name: `${kind} bare`,
  kind,
  baseline: true,
  server: serverUrl(`${kind}-bare`),
  verify: bare,
});

export const ours = (kind: Kind, rate: Rate): Variant => ({
  name: `${kind} ours ${rate}%`,
  kind,
  server: serverUrl(`fullstack-${kind}-ours-${rate}`),
  verify: oursChain(rate === '100'),
});

export const peers = (kind: Kind, rate: Rate): Variant => ({
  name: `${kind} peers ${rate}%`,
  kind,
  server: serverUrl(`fullstack-${kind}-peer-${rate}`),
  verify: peersChain(kind, rate === '100'),
});

const without = (kind: Kind, part: (typeof PARTS)[number]): Variant => ({
  name: `${kind} ours ${ABLATION_RATE}% without ${part}`,
  kind,
  server: serverUrl(`fullstack-${kind}-ours-${ABLATION_RATE}`),
  env: { [DROP_ENV]: part },
  verify: oursChain(false, part),
});

const KINDS: Kind[] = ['fastify', 'express'];
const RATES: Rate[] = ['10', '100'];

const comparisons: Comparison[] = KINDS.flatMap((kind) =>
  RATES.flatMap((rate) => [
    { variant: ours(kind, rate).name, against: `${kind} bare`, goal: GOALS[kind][rate] },
    { variant: ours(kind, rate).name, against: peers(kind, rate).name, goal: PEER_GOAL },
    { variant: peers(kind, rate).name, against: `${kind} bare` },
  ]),
);

export default defineSuite({
  name: 'fullstack',
  description:
    'GET /api/items/:id through the whole chain, each package with its README defaults: bare Express 5 / Fastify 5 vs ours (@platform core context, tracing + request log, metrics, headers, audit, ratelimit, one flag evaluated, errors) vs the peer stack (OpenTelemetry instrumentations, pino, prom metrics, helmet, rate limit, an OpenFeature flag check), at 10% and 100% sampling; then ours with each package left out in turn.',
  request: { path: PATH },
  explicit: true,
  variants: KINDS.flatMap((kind) => [
    bareVariant(kind),
    ...RATES.flatMap((rate) => [ours(kind, rate), peers(kind, rate)]),
    ...PARTS.map((part) => without(kind, part)),
  ]),
  comparisons,
  ablations: KINDS.map((kind) => ({
    full: ours(kind, ABLATION_RATE).name,
    without: PARTS.map((part) => ({ part, variant: without(kind, part).name })),
  })),
});

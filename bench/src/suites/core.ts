import { defineSuite, expectResponse, serverUrl } from '../suite.js';

const PATH = '/api/items/42';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const bare = (origin: string) => expectResponse(origin, PATH, { status: 200 });

const withPlatform = async (origin: string) => {
  await expectResponse(origin, PATH, { status: 200, headers: { 'x-request-id': REQUEST_ID } });
  await expectResponse(origin, '/nope', {
    status: 404,
    headers: { 'content-type': /^application\/problem\+json/, 'x-request-id': REQUEST_ID },
  });
};

export default defineSuite({
  name: 'core',
  description:
    'GET /api/items/:id returning small JSON on bare Express 5 / Fastify 5 vs the same app with @platform/core requestContext and @platform/errors handlers.',
  request: { path: PATH },
  variants: [
    {
      name: 'express bare',
      kind: 'express',
      baseline: true,
      server: serverUrl('express-bare'),
      verify: bare,
    },
    {
      name: 'express + core + errors',
      kind: 'express',
      server: serverUrl('express-core-errors'),
      verify: withPlatform,
    },
    {
      name: 'fastify bare',
      kind: 'fastify',
      baseline: true,
      server: serverUrl('fastify-bare'),
      verify: bare,
    },
    {
      name: 'fastify + core + errors',
      kind: 'fastify',
      server: serverUrl('fastify-core-errors'),
      verify: withPlatform,
    },
  ],
});

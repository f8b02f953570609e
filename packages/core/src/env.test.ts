import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { EnvError, parseEnv } from './env.js';
import { ConfigError, parseOptions } from './options.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.url(),
  API_TOKEN: z.string().min(32),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  REDIS_URL: z.url().optional(),
  SIGNING_KEY: z.string().regex(/^[0-9a-f]{64}$/),
});

const good = {
  DATABASE_URL: 'postgres://app:pw@db:5432/app',
  API_TOKEN: 't'.repeat(40),
  SIGNING_KEY: 'ab'.repeat(32),
};

function envError(env: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(schema, env);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return err as EnvError;
  }
  throw new Error('expected an EnvError');
}

describe('parseEnv', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('returns typed values with defaults and coercion', () => {
    expect(parseEnv(schema, { ...good, PORT: '8080', UNRELATED: 'x' })).toEqual({
      ...good,
      PORT: 8080,
      LOG_LEVEL: 'info',
    });
  });

  it('reads process.env by default', () => {
    vi.stubEnv('PLATFORM_TEST_FLAG', 'on');
    expect(parseEnv(z.object({ PLATFORM_TEST_FLAG: z.enum(['on', 'off']) }))).toEqual({
      PLATFORM_TEST_FLAG: 'on',
    });
  });

  it('reports every invalid variable by name in one error, without values', () => {
    const secrets = {
      PORT: '99999999-port-secret',
      DATABASE_URL: 'not a url but s3cr3t-database-password',
      API_TOKEN: 'short-s3cr3t-token',
      LOG_LEVEL: 'verbose-s3cr3t',
      REDIS_URL: 'redis-s3cr3t-no-scheme',
      SIGNING_KEY: 'zz-s3cr3t-signing-key',
    };
    const err = envError(secrets);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.name).toBe('EnvError');
    const names = Object.keys(secrets);
    expect(err.message).toContain(`${names.length} variable(s) wrong`);
    for (const name of names) expect(err.message).toContain(name);
    expect([...new Set(err.issues.map((i) => i.path))].sort()).toEqual([...names].sort());
    const everything = `${err.message}\n${JSON.stringify(err.issues)}\n${String(err.stack)}`;
    for (const value of Object.values(secrets)) expect(everything).not.toContain(value);
    expect(everything).not.toContain('s3cr3t');
  });

  it('names missing required variables', () => {
    const err = envError({ PORT: '80' });
    expect(err.message).toContain('3 variable(s) wrong (DATABASE_URL, API_TOKEN, SIGNING_KEY)');
    for (const name of ['DATABASE_URL', 'API_TOKEN', 'SIGNING_KEY']) {
      expect(err.message).toContain(`- ${name}:`);
    }
  });

  it('lists a variable once in the summary even with several issues', () => {
    const err = envError({ ...good, API_TOKEN: undefined, SIGNING_KEY: 'nope' });
    expect(err.message).toContain('(API_TOKEN, SIGNING_KEY)');
  });
});

describe('parseOptions', () => {
  const options = z.object({ limit: z.number().int().positive().default(10), name: z.string() });

  it('applies defaults and treats undefined as no options', () => {
    expect(parseOptions(options, { name: 'a' }, 'thing')).toEqual({ limit: 10, name: 'a' });
    expect(parseOptions(z.object({ on: z.boolean().default(true) }), undefined, 'x')).toEqual({
      on: true,
    });
  });

  it('throws a ConfigError naming the component and each bad field', () => {
    let caught: unknown;
    try {
      parseOptions(options, { limit: -1, name: 7 }, 'rateLimit');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toBeInstanceOf(TypeError);
    const err = caught as ConfigError;
    expect(err.name).toBe('ConfigError');
    expect(err.message).toMatch(/^Invalid rateLimit options:\n {2}- limit: .+\n {2}- name: .+$/);
    expect(err.issues.map((i) => i.path)).toEqual(['limit', 'name']);
  });

  it('names the root when the input is not an object', () => {
    expect(() => parseOptions(options, 'oops', 'thing')).toThrow('- (root):');
  });
});

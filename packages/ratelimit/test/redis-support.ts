import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll } from 'vitest';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test run shares. */
export const runPrefix = (label: string) => `rltest:${label}:${randomUUID().slice(0, 8)}:`;

export function ioredis(url = REDIS_URL, options: Record<string, unknown> = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  client.on('error', () => undefined);
  return client;
}

export type NodeRedisClient = ReturnType<typeof createClient>;

export async function nodeRedis(url = REDIS_URL): Promise<NodeRedisClient> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

/**
 * For a test file: an `admin` connection and `newPrefix(label)`, which hands out a fresh key
 * prefix whose keys are deleted (through `admin`) after the file's tests.
 */
export function cleanedPrefixes() {
  const admin = ioredis();
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await deleteKeys(admin, p);
    admin.disconnect();
  });
  const newPrefix = (label: string) => {
    const p = runPrefix(label);
    prefixes.push(p);
    return p;
  };
  return { admin, newPrefix };
}

import type { Redis } from 'ioredis';
import { redisStore } from '../src/stores/redis.js';
import { testRateLimitStore } from '../src/testkit.js';
import {
  deleteKeys,
  ioredis,
  type NodeRedisClient,
  nodeRedis,
  runPrefix,
} from './redis-support.js';

let io: Redis;
const ioPrefix = runPrefix('io');
testRateLimitStore({
  name: 'redis (ioredis)',
  create: () => {
    io = ioredis();
    return redisStore({ client: io, prefix: ioPrefix, timeoutMs: 2000 });
  },
  destroy: async () => {
    await deleteKeys(io, ioPrefix);
    io.disconnect();
  },
});

let node: NodeRedisClient;
const nodePrefix = runPrefix('node');
testRateLimitStore({
  name: 'redis (node-redis)',
  create: async () => {
    node = await nodeRedis();
    return redisStore({ client: node, prefix: nodePrefix, timeoutMs: 2000 });
  },
  destroy: async () => {
    const admin = ioredis();
    await deleteKeys(admin, nodePrefix);
    admin.disconnect();
    await node.close();
  },
});

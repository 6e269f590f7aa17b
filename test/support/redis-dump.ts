import { Redis } from 'ioredis';
import { REDIS_URL } from './app.js';

/** Every key under the prefix with its whole value, whatever the Redis type: what a test reads secrets out of. */
export async function dumpRedis(prefix: string): Promise<string> {
  const redis = new Redis(REDIS_URL);
  let out = '';
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? await redis.hgetall(key)
        : type === 'list' ? await redis.lrange(key, 0, -1)
        : type === 'set' ? await redis.smembers(key)
        : type === 'zset' ? await redis.zrange(key, '0', '-1')
        : type === 'stream' ? await redis.xrange(key, '-', '+')
        : null;
      out += `${key} ${JSON.stringify(value)}\n`;
    }
  } while (cursor !== '0');
  redis.disconnect();
  return out;
}

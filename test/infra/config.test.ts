import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults and is frozen', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/earshot',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      ALLOW_PRIVATE_NETWORKS: false,
      LOG_LEVEL: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses types from strings', () => {
    expect(loadConfig({ PORT: '8080', ALLOW_PRIVATE_NETWORKS: 'true' })).toMatchObject({ PORT: 8080, ALLOW_PRIVATE_NETWORKS: true });
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it('a bad value stops start-up with a message naming every bad variable', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ALLOW_PRIVATE_NETWORKS: 'maybe', LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'ALLOW_PRIVATE_NETWORKS', 'LOG_LEVEL', 'ADMIN_TOKEN']) expect(message).toContain(`${name}:`);
      expect(message).toContain('"eighty"');
      expect(message).not.toContain('short'); // secrets are never echoed
    }
  });
});

import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, cpuLimitFromCfs, cpuLimitFromCpuMax, defaultIngestThreads, loadConfig, readCpuLimit } from '../../src/config.js';
import { FEED_LIMITS } from '../../src/domain/feeds/feed.types.js';
import { HAND_BACK_MARGIN_MS, HTTP_DRAIN_MS } from '../../src/runtime.js';

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

  it('an ADMIN_TOKEN no Authorization header can carry as written (spaces, line breaks, letters outside ASCII) stops start-up, saying which characters it may hold', () => {
    for (const token of ['correct horse battery staple', 'pässwörd-0123456789', 'токен-администратора', 'abcdefghijklmnop\n', '\tabcdefghijklmnop']) {
      let refused: unknown;
      try {
        loadConfig({ ADMIN_TOKEN: token });
      } catch (err) {
        refused = err;
      }
      expect(refused, JSON.stringify(token)).toBeInstanceOf(ConfigError);
      const message = (refused as ConfigError).message;
      expect(message).toMatch(/ADMIN_TOKEN: must be visible ASCII characters only \(A-Z, a-z, 0-9 and punctuation/);
      expect(message).not.toContain(token.trim()); // never echoed
    }
    expect(() => loadConfig({ ADMIN_TOKEN: 'fifteen-chars15' })).toThrow(/ADMIN_TOKEN: must be at least 16 characters/);
    for (const token of ['0123456789abcdef', 'a'.repeat(48), `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`]) {
      expect(loadConfig({ ADMIN_TOKEN: token }).ADMIN_TOKEN).toBe(token);
    }
  });

  it('a number out of range is named as out of range, with the bound, not as "not a whole number"', () => {
    for (const [name, value, says] of [
      ['SHUTDOWN_TIMEOUT_MS', '10', 'must be at least 1000'],
      ['JOB_LOCK_MS', '500', 'must be at least 1000'],
      ['REDIS_STARTUP_WAIT_MS', '500', 'must be at least 1000'],
      ['DATABASE_POOL_SIZE', '0', 'must be at least 1'],
      ['PORT', '70000', 'must be at most 65535'],
      ['RAW_RETENTION_DAYS', '400', 'must be at most 365'],
      ['WORKER_CONCURRENCY', '2.5', 'expected a whole number'],
      // Number() would take these: a hex port, an exponent, a blank value.
      ['PORT', '0x7ACD', 'expected a whole number'],
      ['WORKER_CONCURRENCY', '1e1', 'expected a whole number'],
      ['DATABASE_POOL_SIZE', ' ', 'expected a whole number'],
    ] as const) {
      expect(() => loadConfig({ [name]: value }), name).toThrow(new RegExp(`${name}: ${says}`));
    }
  });

  it('MAIL_FROM without an address (a name alone) stops start-up with a message naming MAIL_FROM; Name <address> and a bare address start', () => {
    for (const value of ['Earshot', 'Earshot <>', 'earshot@', 'a@example.test, b@example.test', 'Team: a@example.test;']) {
      expect(() => loadConfig({ MAIL_FROM: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ MAIL_FROM: value }), value).toThrow(/MAIL_FROM: expected one e-mail address/);
    }
    expect(loadConfig({}).MAIL_FROM).toBe('Earshot <earshot@localhost>');
    expect(loadConfig({ MAIL_FROM: 'Earshot Digest <digest@example.com>' }).MAIL_FROM).toBe('Earshot Digest <digest@example.com>');
    expect(loadConfig({ MAIL_FROM: '"Café Équipe, Digest" <digest@example.com>' }).MAIL_FROM).toBe('"Café Équipe, Digest" <digest@example.com>');
    expect(loadConfig({ MAIL_FROM: 'digest@example.com' }).MAIL_FROM).toBe('digest@example.com');
  });

  it('at the defaults a shutdown lets an ingest task run to its deadline before active jobs are handed back, and docker-compose.yml waits for the shutdown', () => {
    const { SHUTDOWN_TIMEOUT_MS } = loadConfig({});
    // The API stops first (up to HTTP_DRAIN_MS); jobs still running a margin before the timeout go back to their queue.
    expect(SHUTDOWN_TIMEOUT_MS - HTTP_DRAIN_MS - HAND_BACK_MARGIN_MS).toBeGreaterThan(FEED_LIMITS.timeoutMs);
    const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
    const grace = /^\s*stop_grace_period:\s*(\d+)s\s*$/m.exec(compose);
    expect(grace, 'docker-compose.yml sets stop_grace_period (Docker would stop the container after 10 s)').not.toBeNull();
    expect(Number(grace![1]) * 1000).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS);
  });
});

describe('ingest threads by default', () => {
  const trees: string[] = [];
  afterAll(async () => {
    for (const root of trees) await rm(root, { recursive: true, force: true });
  });

  it('reads a cgroup v2 cpu.max as the CPUs the quota allows, rounded up; "max" or unreadable text is no limit', () => {
    expect(cpuLimitFromCpuMax('200000 100000\n')).toBe(2);
    expect(cpuLimitFromCpuMax('150000 100000')).toBe(2);
    expect(cpuLimitFromCpuMax('50000 100000')).toBe(1);
    expect(cpuLimitFromCpuMax('max 100000\n')).toBeNull();
    expect(cpuLimitFromCpuMax(null)).toBeNull();
    expect(cpuLimitFromCpuMax('')).toBeNull();
    expect(cpuLimitFromCpuMax('garbage')).toBeNull();
    expect(cpuLimitFromCpuMax('0 100000')).toBeNull();
  });

  it('reads cgroup v1 cpu.cfs_quota_us over cpu.cfs_period_us the same way; a quota of -1 is no limit', () => {
    expect(cpuLimitFromCfs('200000\n', '100000\n')).toBe(2);
    expect(cpuLimitFromCfs('250000', '100000')).toBe(3);
    expect(cpuLimitFromCfs('-1\n', '100000\n')).toBeNull();
    expect(cpuLimitFromCfs(null, '100000')).toBeNull();
    expect(cpuLimitFromCfs('200000', null)).toBeNull();
  });

  it("reads the quota of the process's own cgroup and of every cgroup above it, the smallest counting", async () => {
    /** A file system of these files only, under a folder of the test's own. */
    const tree = async (files: Record<string, string>) => {
      const root = await mkdtemp(path.join(tmpdir(), 'earshot-cgroup-'));
      trees.push(root);
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), text);
      }
      return root;
    };
    const v2 = { 'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids\n' };
    // A container with a cgroup namespace of its own: its cgroup is the mount's root.
    expect(readCpuLimit(await tree({ ...v2, 'proc/self/cgroup': '0::/\n', 'sys/fs/cgroup/cpu.max': '200000 100000\n' }))).toBe(2);
    // A systemd service with CPUQuota=150%: the host's root has no cpu.max, its slice no limit.
    const service = {
      ...v2,
      'proc/self/cgroup': '0::/system.slice/earshot.service\n',
      'sys/fs/cgroup/system.slice/cpu.max': 'max 100000\n',
      'sys/fs/cgroup/system.slice/earshot.service/cpu.max': '150000 100000\n',
    };
    expect(readCpuLimit(await tree(service))).toBe(2);
    // A slice that allows less than the service asks for is the limit.
    expect(readCpuLimit(await tree({ ...service, 'sys/fs/cgroup/system.slice/cpu.max': '100000 100000\n' }))).toBe(1);
    // No quota anywhere.
    expect(readCpuLimit(await tree({ ...v2, 'proc/self/cgroup': '0::/user.slice\n', 'sys/fs/cgroup/user.slice/cpu.max': 'max 100000\n' }))).toBeNull();
    // cgroup v1, under systemd: the cpu controller's hierarchy names the path.
    const v1 = {
      'proc/self/cgroup': '12:memory:/system.slice/earshot.service\n4:cpu,cpuacct:/system.slice/earshot.service\n0::/system.slice/earshot.service\n',
      'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
      'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
      'sys/fs/cgroup/cpu/system.slice/earshot.service/cpu.cfs_quota_us': '300000\n',
      'sys/fs/cgroup/cpu/system.slice/earshot.service/cpu.cfs_period_us': '100000\n',
    };
    expect(readCpuLimit(await tree(v1))).toBe(3);
    // cgroup v1 in a container without a namespace of its own: /proc names the host's path, the
    // mount shows the container's cgroup as its root.
    expect(
      readCpuLimit(
        await tree({ 'proc/self/cgroup': '4:cpu,cpuacct:/docker/0123abcd\n', 'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '200000\n', 'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }),
      ),
    ).toBe(2);
    // Nothing readable.
    expect(readCpuLimit(await tree({}))).toBeNull();
  });

  it('leaves one CPU of the quota to the event loop: 2 CPUs on a 16-core host is 1 thread, not 15', () => {
    expect(defaultIngestThreads({ parallelism: 16, cpuLimit: cpuLimitFromCpuMax('200000 100000') })).toBe(1);
    expect(defaultIngestThreads({ parallelism: 16, cpuLimit: cpuLimitFromCpuMax('400000 100000') })).toBe(3);
    expect(defaultIngestThreads({ parallelism: 16, cpuLimit: null })).toBe(15);
    // An affinity mask narrower than the quota wins.
    expect(defaultIngestThreads({ parallelism: 2, cpuLimit: 8 })).toBe(1);
    expect(defaultIngestThreads({ parallelism: 1, cpuLimit: null })).toBe(1);
    expect(defaultIngestThreads({ parallelism: 16, cpuLimit: 1 })).toBe(1);
  });

  it('an explicit INGEST_THREADS wins over the default', () => {
    expect(loadConfig({ INGEST_THREADS: '0' }).INGEST_THREADS).toBe(0);
    expect(loadConfig({ INGEST_THREADS: '6' }).INGEST_THREADS).toBe(6);
  });
});

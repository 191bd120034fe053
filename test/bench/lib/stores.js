// Per-run PostgreSQL databases and Redis key prefixes on the shared servers, the same
// way test/support/postgres.ts and redis.ts make them for the integration suites.
const { randomBytes } = require('node:crypto');
const Redis = require('ioredis');
const { Client } = require('pg');

const POSTGRES_ADMIN_URL =
  process.env.KILN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.KILN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const uniqueSuffix = () => `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

async function withAdmin(fn) {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database: { name, url, drop() }. */
async function createDatabase(prefix) {
  const name = `${prefix}_${uniqueSuffix()}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/** A key prefix no one else uses: { url, prefix, cleanup() } deleting every key under it. */
function createRedisPrefix(name) {
  const prefix = `${name}:${uniqueSuffix()}:`;
  return { url: REDIS_URL, prefix, cleanup: () => deleteKeys(prefix) };
}

async function deleteKeys(prefix) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

module.exports = { createDatabase, createRedisPrefix, POSTGRES_ADMIN_URL, REDIS_URL };

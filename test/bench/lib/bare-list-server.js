// The baseline of the tasks-list benchmark: a bare Fastify + pg server answering
// GET /tasks?limit=N with the query Kiln's TaskListRepository.list runs for an admin with no
// filters (every column of tasks, newest first, keyset order, limit + 1 rows), as JSON.
// No auth, validation, mapping or logging: the floor Kiln's overhead is measured
// against. Run as a child process (own event loop, like Kiln):
//   DATABASE_URL=... PORT=... POOL_SIZE=10 node bare-list-server.js
// It prints "listening" once it accepts connections.
const Fastify = require('fastify');
const { Pool } = require('pg');

const COLUMNS = [
  'id',
  'owner_id',
  'name',
  'description',
  'labels',
  'queue',
  'priority',
  'command',
  'shell',
  'image',
  'working_dir',
  'env',
  'hyperparameters',
  'cpu_millis',
  'memory_mib',
  'gpu',
  'max_retries',
  'retry_backoff_seconds',
  'timeout_seconds',
  'depends_on',
  'no_retry_exit_codes',
  'status',
  'progress_permille',
  'attempt',
  'retries_used',
  'lost_count',
  'exit_code',
  'failure_reason',
  'not_before',
  'version',
  'idempotency_key',
  'idempotency_fingerprint',
  'created_at',
  'updated_at',
  'queued_at',
  'started_at',
  'finished_at',
];
const SELECT = COLUMNS.map((column) => `"t"."${column}"`).join(', ');

async function main() {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.POOL_SIZE ?? 10),
  });
  const app = Fastify({ logger: false });
  app.get('/tasks', async (request) => {
    const limit = Math.min(200, Math.max(1, Number(request.query.limit ?? 50)));
    // As TypeORM writes it: the limit inlined, ORDER BY created_at DESC, id DESC.
    const { rows } = await pool.query(
      `SELECT ${SELECT} FROM "tasks" "t" ORDER BY "t"."created_at" DESC, "t"."id" DESC LIMIT ${limit + 1}`,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit
        ? Buffer.from(JSON.stringify({ c: last.created_at, id: last.id })).toString('base64url')
        : null;
    return { items, nextCursor };
  });
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  console.log('listening');
  const close = () =>
    app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// The `pg` module as TypeORM's postgres driver, with a Pool that handles every
// connection's 'error' event from the moment the connection exists. The server may end
// a connection at any time (a failover, a restart, a pooler's idle timeout); an 'error'
// event nobody listens to crashes the process, and TypeORM attaches its listener only
// after the pool has handed the connection out, which leaves a window.
import { Logger } from '@nestjs/common';
import * as pg from 'pg';

const logger = new Logger('Database');

class ResilientPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super(config);
    this.on('error', (error) => logConnectionError('an idle connection', error));
    // 'connect' fires for each new connection before it is first handed out; the listener
    // stays for the connection's life, so no moment is left without one. The pool and
    // TypeORM still see the error through their own listeners and drop the connection.
    this.on('connect', (client) =>
      client.on('error', (error) => logConnectionError('a connection in use', error)),
    );
  }
}

function logConnectionError(which: string, error: Error): void {
  logger.warn(`PostgreSQL ended ${which}: ${error.message}; it is replaced on next use`);
}

/** `pg` with the resilient Pool, for TypeORM's `driver` option. */
export const resilientPg = Object.create(pg, {
  Pool: { value: ResilientPool, enumerable: true },
}) as typeof pg;

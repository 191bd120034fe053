// Asks for a reconcile pass of the services at once, wherever the leader runs (over the
// Wakeups port: Redis pub/sub with Redis, in-process otherwise). The reconciler's tick is
// the fallback for a wake that is lost.
import { Inject, Injectable } from '@nestjs/common';
import { WAKEUPS, Wakeups } from '../../../infra/wakeups/wakeups.port';

const RECONCILE = 'services.reconcile';

@Injectable()
export class ServiceWakeups {
  constructor(@Inject(WAKEUPS) private readonly wakeups: Wakeups) {}

  register(reconcile: () => void): void {
    this.wakeups.on(RECONCILE, reconcile);
  }

  wake(): void {
    this.wakeups.wake(RECONCILE);
  }
}

// Asks for a dispatch or reconcile pass at once, wherever the leader runs. Services call
// it without depending on the dispatcher and reconciler themselves (they depend on
// services). The interval ticks stay the fallback for a wake that is lost.
import { Inject, Injectable } from '@nestjs/common';
import { WAKEUPS, Wakeups } from '../../../infra/wakeups/wakeups.port';

const DISPATCH = 'tasks.dispatch';
const RECONCILE = 'tasks.reconcile';

@Injectable()
export class TaskWakeups {
  constructor(@Inject(WAKEUPS) private readonly wakeups: Wakeups) {}

  register(handlers: { dispatch: () => void; reconcile: () => void }): void {
    this.wakeups.on(DISPATCH, handlers.dispatch);
    this.wakeups.on(RECONCILE, handlers.reconcile);
  }

  dispatch(): void {
    this.wakeups.wake(DISPATCH);
  }

  reconcile(): void {
    this.wakeups.wake(RECONCILE);
  }
}

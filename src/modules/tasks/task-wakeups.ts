// Lets services ask for a dispatch or reconcile pass without depending on the
// dispatcher and reconciler themselves (they depend on services), breaking the cycle.
import { Injectable } from '@nestjs/common';

@Injectable()
export class TaskWakeups {
  private dispatcher?: () => void;
  private reconciler?: () => void;

  register(handlers: { dispatch: () => void; reconcile: () => void }): void {
    this.dispatcher = handlers.dispatch;
    this.reconciler = handlers.reconcile;
  }

  dispatch(): void {
    this.dispatcher?.();
  }

  reconcile(): void {
    this.reconciler?.();
  }
}

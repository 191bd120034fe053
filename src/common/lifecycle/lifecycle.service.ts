import { Injectable } from '@nestjs/common';

/** Where this process is in its life: starting, serving, or shutting down. */
@Injectable()
export class LifecycleService {
  private startedAt?: Date;
  private shutdownSignal?: string;
  private readonly shutdownController = new AbortController();

  markStarted(): void {
    this.startedAt ??= new Date();
  }

  beginShutdown(signal: string): void {
    if (this.shutdownSignal) return;
    this.shutdownSignal = signal;
    this.shutdownController.abort(new Error(`shutting down on ${signal}`));
  }

  get started(): boolean {
    return this.startedAt !== undefined;
  }

  get shuttingDown(): boolean {
    return this.shutdownSignal !== undefined;
  }

  /** Fires when shutdown begins, so background loops can stop taking new work. */
  get shutdownSignalled(): AbortSignal {
    return this.shutdownController.signal;
  }
}

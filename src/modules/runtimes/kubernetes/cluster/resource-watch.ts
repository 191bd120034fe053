// Keeps a local copy of one kind of object in one namespace: list, then watch from the
// list's resourceVersion; after a disconnect, watch again from the last version seen;
// when the server no longer has that version (410 Gone), list again.
import { Logger } from '@nestjs/common';
import type { KubernetesObject, Watch } from '@kubernetes/client-node';
import { backoffDelay } from '../../../../common/retry/retry';
import { isGone } from './kube-api-error';

export interface ObjectList<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface ResourceWatchTarget<T> {
  /** API path of the collection, e.g. `/apis/batch/v1/namespaces/kiln/jobs`. */
  path: string;
  labelSelector: string;
  list(): Promise<ObjectList<T>>;
  /** Told of every change a watch delivers (not of what a list brings). */
  onChange?(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): void;
}

const RECONNECT = { attempts: Infinity, baseDelayMs: 100, maxDelayMs: 10_000 };

export class ResourceWatch<T extends KubernetesObject> {
  private readonly logger = new Logger(ResourceWatch.name);
  private readonly objects = new Map<string, T>();
  private resourceVersion: string | undefined;
  private listed = false;
  private failures = 0;
  private stopped = false;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly target: ResourceWatchTarget<T>,
    private readonly watch: Watch,
  ) {}

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  /** True once a list has filled the copy: from then on a missing object is worth a GET. */
  get synced(): boolean {
    return this.listed;
  }

  get(name: string): T | undefined {
    return this.objects.get(name);
  }

  filter(predicate: (object: T) => boolean): T[] {
    return [...this.objects.values()].filter(predicate);
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const list = await this.target.list();
      this.objects.clear();
      for (const object of list.items) this.objects.set(nameOf(object), object);
      this.resourceVersion = list.metadata?.resourceVersion;
      this.listed = true;
      await this.watchFromLastVersion();
    } catch (error) {
      this.retryLater(() => this.relist(), error);
    }
  }

  private async watchFromLastVersion(): Promise<void> {
    if (this.stopped) return;
    let gone = false;
    const query = {
      labelSelector: this.target.labelSelector,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
    };
    this.controller = await this.watch.watch(
      this.target.path,
      query,
      (type: string, object: T & { code?: number }) => {
        if (type === 'ERROR') gone ||= object.code === 410;
        else this.apply(type, object);
      },
      (error: unknown) => this.onWatchEnd(gone || isGone(error), error),
    );
  }

  private apply(type: string, object: T): void {
    this.failures = 0;
    this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
    if (type === 'BOOKMARK') return;
    if (type === 'DELETED') this.objects.delete(nameOf(object));
    else this.objects.set(nameOf(object), object);
    this.target.onChange?.(type as 'ADDED' | 'MODIFIED' | 'DELETED', object);
  }

  private onWatchEnd(gone: boolean, error: unknown): void {
    if (this.stopped) return;
    if (gone) {
      this.logger.debug(`${this.target.path}: resourceVersion expired, listing again`);
      void this.relist();
    } else if (error) {
      this.retryLater(() => this.watchFromLastVersion(), error);
    } else {
      // The server closes watches now and then; carry on from where it stopped.
      void this.watchFromLastVersion().catch((failure) =>
        this.retryLater(() => this.watchFromLastVersion(), failure),
      );
    }
  }

  private retryLater(next: () => Promise<void>, error: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const delayMs = backoffDelay(this.failures, RECONNECT);
    this.logger.warn(
      `${this.target.path}: watch interrupted (${String(error)}), again in ${delayMs} ms`,
    );
    this.timer = setTimeout(() => {
      void next().catch((failure) => this.retryLater(next, failure));
    }, delayMs);
    this.timer.unref();
  }
}

function nameOf(object: KubernetesObject): string {
  return object.metadata?.name ?? '';
}

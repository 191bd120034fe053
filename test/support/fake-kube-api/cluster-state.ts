// What the fake API server stores: the objects of each collection, every change as a
// numbered watch event, and the open watches each change is sent to.
import { ServerResponse } from 'node:http';
import { writeEvent } from './http-io';
import { Collection, goneStatus, KubeObject, matchesSelector } from './wire';

export interface OpenWatch {
  collection: Collection;
  namespace: string;
  selector: string | null;
  response: ServerResponse;
}

interface WatchEvent {
  resourceVersion: number;
  collection: Collection;
  namespace: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export class ClusterState {
  private readonly objects: Record<Collection, Map<string, KubeObject>> = {
    jobs: new Map(),
    pods: new Map(),
    secrets: new Map(),
    deployments: new Map(),
    services: new Map(),
  };
  private readonly history: WatchEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private version = 100;
  /** Watches asking for an older resourceVersion than this get 410 Gone. */
  private oldestResourceVersion = 0;
  private gone: 'status' | 'event' = 'status';

  get(collection: Collection, namespace: string, name: string): KubeObject | undefined {
    return this.objects[collection].get(`${namespace}/${name}`);
  }

  all(collection: Collection): KubeObject[] {
    return [...this.objects[collection].values()];
  }

  /** The resourceVersion a list answers with. */
  get resourceVersion(): number {
    return this.version;
  }

  get openWatchCount(): number {
    return this.watches.size;
  }

  /** How an expired resourceVersion is told: HTTP 410, or a 410 ERROR event in the stream. */
  get goneAs(): 'status' | 'event' {
    return this.gone;
  }

  isExpired(resourceVersion: number): boolean {
    return resourceVersion < this.oldestResourceVersion;
  }

  store(type: WatchEvent['type'], collection: Collection, object: KubeObject): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    object.metadata.resourceVersion = String(++this.version);
    if (type === 'DELETED') this.objects[collection].delete(key);
    else this.objects[collection].set(key, object);
    const event: WatchEvent = {
      resourceVersion: this.version,
      collection,
      namespace: object.metadata.namespace ?? '',
      type,
      object: structuredClone(object),
    };
    this.history.push(event);
    for (const watch of this.watches) {
      if (this.concerns(watch, event.object, collection))
        writeEvent(watch.response, type, event.object);
    }
  }

  /**
   * Sends a new watch what it missed (every object, or the events after `since`), then
   * every change it concerns until its connection closes.
   */
  openWatch(watch: OpenWatch, since: number | undefined): void {
    const backlog =
      since === undefined
        ? this.all(watch.collection).map((object) => ({
            type: 'ADDED' as const,
            collection: watch.collection,
            object,
          }))
        : this.history.filter((event) => event.resourceVersion > since);
    for (const event of backlog) {
      if (this.concerns(watch, event.object, event.collection))
        writeEvent(watch.response, event.type, event.object);
    }
    this.watches.add(watch);
    watch.response.on('close', () => this.watches.delete(watch));
  }

  /** Drops every open watch connection, as a restarting API server or a proxy would. */
  disconnectWatches(): void {
    for (const watch of this.watches) watch.response.destroy();
    this.watches.clear();
  }

  /**
   * Forgets every resourceVersion up to now: open watches are told (an ERROR event with
   * code 410, or a dropped connection and then HTTP 410 on the next watch request).
   */
  expireResourceVersions(as: 'status' | 'event'): void {
    this.gone = as;
    this.oldestResourceVersion = ++this.version;
    for (const watch of this.watches) {
      if (as === 'event') writeEvent(watch.response, 'ERROR', goneStatus());
      watch.response.end();
    }
    this.watches.clear();
  }

  private concerns(watch: OpenWatch, object: KubeObject, collection: Collection): boolean {
    return (
      watch.collection === collection &&
      object.metadata.namespace === watch.namespace &&
      matchesSelector(object.metadata.labels, watch.selector)
    );
  }
}

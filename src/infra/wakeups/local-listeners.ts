/** The listeners of each topic in this process, which both drivers call. */
export class LocalListeners {
  private readonly byTopic = new Map<string, Array<() => void>>();

  add(topic: string, listener: () => void): void {
    this.byTopic.set(topic, [...(this.byTopic.get(topic) ?? []), listener]);
  }

  call(topic: string): void {
    for (const listener of this.byTopic.get(topic) ?? []) listener();
  }
}

import type { DomainEvent, EventBus, EventHandler, SubscribeOptions } from './event-bus.js';

export interface Subscriber {
  name: string;
  /** An event name, or `*` for every event. */
  pattern: string;
  handle(event: DomainEvent): Promise<void>;
}

/** The subscribers of this process: handlers and broker adapters, each under its own name. */
export class Subscribers {
  private readonly byName = new Map<string, Subscriber>();
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  subscribe(pattern: string, handler: EventHandler, options: SubscribeOptions = {}): () => void {
    const n = (this.counts.get(pattern) ?? 0) + 1;
    this.counts.set(pattern, n);
    const name = options.name ?? `${pattern}#${n}`;
    if (this.byName.has(name)) throw new Error(`An event subscriber named "${name}" is already registered.`);
    const subscriber: Subscriber = { name, pattern, handle: async (event) => handler(event) };
    this.byName.set(name, subscriber);
    for (const listener of this.listeners) listener();
    return () => {
      if (this.byName.get(name) === subscriber) this.byName.delete(name);
    };
  }

  addBus(bus: EventBus): () => void {
    return this.subscribe('*', (event) => bus.publish(event), { name: bus.name });
  }

  /** The subscribers `name` is delivered to. */
  matching(name: string): Subscriber[] {
    return [...this.byName.values()].filter((s) => s.pattern === '*' || s.pattern === name);
  }

  get size(): number {
    return this.byName.size;
  }

  /** Called whenever a subscriber is added (the relay starts with the first). */
  onAdded(listener: () => void): void {
    this.listeners.add(listener);
  }
}

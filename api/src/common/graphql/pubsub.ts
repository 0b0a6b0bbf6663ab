import type { PubSub } from 'type-graphql';

/** One subscriber's queue: it holds at most the latest value, since every value says "look again". */
interface Subscriber {
  pending: { value: unknown } | null;
  wake: (() => void) | null;
  ended: boolean;
}

/**
 * The in-process pubsub type-graphql's subscriptions are built with: values are routed by topic
 * and id (`publish(topic, id, value)`, `subscribe(topic, id)`). It carries wake-ups, not content:
 * a subscriber that falls behind keeps only the latest value, so a burst costs it one re-read,
 * and a slow one never holds a growing queue.
 */
export class TopicPubSub implements PubSub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  publish(topic: string, ...args: unknown[]): void {
    const [id, value = true] = args;
    for (const subscriber of this.subscribers.get(key(topic, id)) ?? []) deliver(subscriber, value);
  }

  /** Wakes every subscriber of the topic, whatever its id (after the source may have missed events). */
  publishAll(topic: string, value: unknown = true): void {
    const prefix = `${topic}\u0000`;
    for (const [routing, set] of this.subscribers) if (routing.startsWith(prefix)) for (const subscriber of set) deliver(subscriber, value);
  }

  /** How many subscribers are listening, for metrics and tests. */
  get size(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }

  subscribe(topic: string, id?: unknown): AsyncIterableIterator<unknown> {
    const routing = key(topic, id);
    const subscriber: Subscriber = { pending: null, wake: null, ended: false };
    let set = this.subscribers.get(routing);
    if (!set) this.subscribers.set(routing, (set = new Set()));
    set.add(subscriber);
    const end = () => {
      subscriber.ended = true;
      subscriber.wake?.();
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(routing) === set) this.subscribers.delete(routing);
    };
    const iterator: AsyncIterableIterator<unknown> = {
      async next() {
        while (!subscriber.ended && !subscriber.pending) await new Promise<void>((resolve) => (subscriber.wake = resolve));
        subscriber.wake = null;
        if (subscriber.ended) return { done: true, value: undefined };
        const { value } = subscriber.pending!;
        subscriber.pending = null;
        return { done: false, value };
      },
      async return() {
        end();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}

function key(topic: string, id: unknown): string {
  return `${topic}\u0000${id === undefined ? '' : String(id)}`;
}

function deliver(subscriber: Subscriber, value: unknown): void {
  if (subscriber.ended) return;
  subscriber.pending = { value };
  subscriber.wake?.();
}

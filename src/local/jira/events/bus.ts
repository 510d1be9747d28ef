// Product events leave the site through listeners; the Forge emulation
// subscribes and delivers them to the app's triggers.
import type { ProductEvent } from '../../contracts';

export class EventBus {
  private readonly listeners = new Set<(event: ProductEvent) => void>();

  subscribe(listener: (event: ProductEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A failing listener must not undo a committed change, nor starve the other listeners. */
  emit(event: ProductEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error(`Product event listener failed on ${event.eventType}:`, error);
      }
    }
  }
}

import type { Progress } from '../../workflows/contract';

/** Where a watcher reads a run's published progress (Onboardings.progress: a describe, no replay). */
export type ReadProgress = (tenantId: string) => Promise<Progress>;

/** An event's id: the run's last change and its audit count, so a reconnecting reader says what it saw last. */
export const eventIdOf = (p: Progress): string => `${p.updatedAt}~${p.audit.count}`;

type Listener = (p: Progress, id: string) => void;
type Failure = (err: unknown) => void;

interface Watcher {
  listeners: Set<{ on: Listener; fail: Failure }>;
  last?: { id: string; progress: Progress };
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * One watcher per run in this process, however many viewers: it reads the run's read model every
 * `intervalMs` while anyone listens and tells every listener of each change. Viewers cost one
 * lookup per interval per run, not one per viewer, and never a query the worker must answer.
 */
export class RunWatchers {
  readonly #watchers = new Map<string, Watcher>();

  constructor(
    private readonly read: ReadProgress,
    private readonly intervalMs = 250,
  ) {}

  /**
   * Listens to a run: `on` gets the current progress at once unless its id is `lastEventId` (a
   * reconnect that saw it), then each change. A read that fails (the run is gone) ends the watch
   * with `fail`. Returns the function that stops listening.
   */
  subscribe(tenantId: string, on: Listener, fail: Failure, lastEventId?: string): () => void {
    let w = this.#watchers.get(tenantId);
    if (!w) this.#watchers.set(tenantId, (w = { listeners: new Set() }));
    const entry = { on, fail };
    w.listeners.add(entry);
    if (w.last && w.last.id !== lastEventId) on(w.last.progress, w.last.id);
    if (!w.timer) this.#poll(tenantId, w, lastEventId);
    return () => {
      w.listeners.delete(entry);
      if (w.listeners.size === 0) {
        if (w.timer) clearTimeout(w.timer);
        this.#watchers.delete(tenantId);
      }
    };
  }

  /** How many runs are watched now (for tests and metrics). */
  get watched(): number {
    return this.#watchers.size;
  }

  /** Reads now and every interval after; the first read is news unless it is what a reconnecting reader saw (`seen`). */
  #poll(tenantId: string, w: Watcher, seen: string | undefined): void {
    const run = async () => {
      if (!this.#watchers.has(tenantId) || this.#watchers.get(tenantId) !== w) return;
      try {
        const progress = await this.read(tenantId);
        const id = eventIdOf(progress);
        if (id !== w.last?.id) {
          const announce = w.last !== undefined || id !== seen;
          w.last = { id, progress };
          if (announce) for (const l of w.listeners) l.on(progress, id);
        }
      } catch (err) {
        for (const l of w.listeners) l.fail(err);
        this.#watchers.delete(tenantId);
        return;
      }
      if (w.listeners.size) w.timer = setTimeout(() => void run(), this.intervalMs);
      else this.#watchers.delete(tenantId);
    };
    w.timer = setTimeout(() => void run(), 0);
  }
}

/**
 * The e2e's main line of ordered steps, and the work that runs beside it. Steps depend on each
 * other: after a failure the rest report it instead of piling up noise.
 */
import { lowPriority, phase } from "./run";

/** Work running on its own; `awaited` resolves with its result or fails with its error. */
export class Lane<T> {
  private started?: Promise<T>;

  constructor(
    private readonly label: string,
    private readonly body: () => Promise<T>,
  ) {}

  /** Starts the work now; its failure is reported when awaited, not as an unhandled rejection. */
  start(): this {
    const started = phase(this.label, this.body);
    started.catch(() => undefined);
    this.started = started;
    return this;
  }

  get isStarted(): boolean {
    return this.started !== undefined;
  }

  awaited(): Promise<T> {
    return this.started ?? Promise.reject(new Error(`${this.label}: never started`));
  }
}

export class MainLine {
  /** The first step that failed; every later step fails fast naming it. */
  private broken: string | undefined;
  private readonly lanes: Lane<unknown>[] = [];

  /** One step of the main line, timed as a phase; not run once an earlier step failed. */
  step(name: string, body: () => Promise<void>, timeoutSeconds = 900): void {
    test(
      name,
      async () => {
        if (this.broken) throw new Error(`not run: earlier step "${this.broken}" failed`);
        try {
          await phase(name, body);
        } catch (e) {
          this.broken = name;
          throw e;
        }
      },
      timeoutSeconds * 1000,
    );
  }

  /**
   * Work beside the main line, its commands at low CPU priority (lowPriority): declared now, started
   * by startBeside once what it needs is up.
   */
  beside<T>(name: string, body: () => Promise<T>): Lane<T> {
    const lane = new Lane(`(beside) ${name}`, () => lowPriority(body));
    this.lanes.push(lane);
    return lane;
  }

  /** Starts the work declared beside the main line, in the order declared. */
  startBeside(): void {
    for (const lane of this.lanes) if (!lane.isStarted) lane.start();
  }

  /** Main-line work started now, at the main line's priority, that later steps run beside. */
  alongside<T>(name: string, body: () => Promise<T>): Lane<T> {
    const lane = new Lane(`(alongside) ${name}`, body).start();
    this.lanes.push(lane);
    return lane;
  }

  /** Every lane started, finished one way or the other. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.lanes.filter((l) => l.isStarted).map((l) => l.awaited()));
  }
}

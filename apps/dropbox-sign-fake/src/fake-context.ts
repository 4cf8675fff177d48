import { FakeState } from './fake-state';
import { FaultRegistry } from './faults';
import { RateLimiter } from './rate-limiter';
import { RequestLog } from './request-log';

/** Everything one fake server instance stores in memory. */
export class FakeContext {
  readonly state = new FakeState();
  readonly limiter = new RateLimiter();
  readonly faults = new FaultRegistry();
  readonly requestLog = new RequestLog();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Waits `ms` milliseconds. After `cancelDelays` the promise never settles. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  cancelDelays(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  /** Forgets all teams, accounts, rate-limit windows, faults and logged requests. */
  reset(): void {
    this.state.reset();
    this.limiter.reset();
    this.faults.clear();
    this.requestLog.clear();
  }
}

import { randomHex } from './fake-state';

/** A scripted failure for matching /v3 requests, registered through `POST /_fake/faults`. */
export interface Fault {
  id: string;
  /** HTTP status to send, or 0 to only delay the normal response. */
  status: number;
  errorName?: string;
  errorMsg?: string;
  latencyMs: number;
  /** Matching requests still to fail, or -1 to fail until the faults are cleared. */
  remaining: number;
  /** Upper-case HTTP method to match, or null for any method. */
  method: string | null;
  /** Prefix of the request path (which starts with /v3) to match, or null for any path. */
  pathPrefix: string | null;
  dropConnection: boolean;
}

export type NewFault = Omit<Fault, 'id'>;

/** Registered faults. The oldest fault that matches a request applies to it. */
export class FaultRegistry {
  private faults: Fault[] = [];

  add(fault: NewFault): string {
    const id = randomHex(8);
    this.faults.push({ ...fault, id });
    return id;
  }

  /** Returns the first fault matching the request and counts the use against it. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((candidate) => matches(candidate, method, path));
    if (fault === undefined) {
      return undefined;
    }
    if (fault.remaining > 0) {
      fault.remaining -= 1;
      if (fault.remaining === 0) {
        this.faults = this.faults.filter((candidate) => candidate !== fault);
      }
    }
    return fault;
  }

  clear(): void {
    this.faults = [];
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method !== null && fault.method !== method) {
    return false;
  }
  return fault.pathPrefix === null || path.startsWith(fault.pathPrefix);
}

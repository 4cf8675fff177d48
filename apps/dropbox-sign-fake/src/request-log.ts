import { JsonObject } from './http-io';

/** One /v3 request as the control API reports it. Credentials are never stored. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: JsonObject | null;
  /** HTTP status sent, or 0 when a fault dropped the connection. */
  status: number;
  teamId: string | null;
  /** ISO time at which the request arrived. */
  at: string;
}

/** Entries kept before the oldest are dropped, so long benchmarks do not grow memory without bound. */
const MAX_ENTRIES = 10_000;

/** Log of /v3 requests in the order their responses finished, newest last. */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  append(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) {
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    }
  }

  list(teamId?: string): LoggedRequest[] {
    return teamId === undefined ? [...this.entries] : this.entries.filter((entry) => entry.teamId === teamId);
  }

  clear(): void {
    this.entries = [];
  }
}

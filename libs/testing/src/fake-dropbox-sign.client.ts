/** Control API of the fake Dropbox Sign server (`/_fake`), for tests, the demo and benchmarks. */
export interface FakeTeam {
  teamId: string;
  name: string;
  apiKey: string;
  plan: string;
  rateLimitPerMinute: number;
  ownerAccountId: string;
  ownerEmail: string;
}

export interface FakeTeamState {
  teamId: string;
  name: string;
  plan: string;
  members: Array<{ accountId: string; email: string; role: string }>;
  invites: Array<{ email: string; role: string; accountId: string | null; sentAt: string }>;
  transfers: Array<{ fromEmail: string; toEmail: string }>;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | null;
  status: number;
  teamId: string | null;
  at: string;
}

export class FakeDropboxSignControl {
  constructor(readonly baseUrl: string) {}

  get apiUrl(): string {
    return `${this.baseUrl}/v3`;
  }

  createTeam(options: { name?: string; plan?: string; rateLimitPerMinute?: number; ownerEmail?: string } = {}): Promise<FakeTeam> {
    return this.send('POST', '/_fake/teams', options);
  }

  team(teamId: string): Promise<FakeTeamState> {
    return this.send('GET', `/_fake/teams/${teamId}`);
  }

  createAccount(email: string, teamId?: string, role?: string): Promise<{ accountId: string; email: string; teamId: string | null }> {
    return this.send('POST', '/_fake/accounts', { email, teamId, role });
  }

  acceptInvite(teamId: string, email: string): Promise<FakeTeamState> {
    return this.send('POST', `/_fake/teams/${teamId}/invites/accept`, { email });
  }

  async requests(teamId?: string): Promise<FakeRequest[]> {
    const query = teamId ? `?teamId=${encodeURIComponent(teamId)}` : '';
    const body = await this.send<{ requests: FakeRequest[] }>('GET', `/_fake/requests${query}`);
    return body.requests;
  }

  clearRequests(): Promise<void> {
    return this.send('DELETE', '/_fake/requests');
  }

  addFault(fault: { status: number; errorName?: string; latencyMs?: number; count?: number; method?: string; path?: string; dropConnection?: boolean }): Promise<{ id: string }> {
    return this.send('POST', '/_fake/faults', fault);
  }

  clearFaults(): Promise<void> {
    return this.send('DELETE', '/_fake/faults');
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`Fake Dropbox Sign ${method} ${path} failed with HTTP ${response.status}: ${await response.text()}`);

    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

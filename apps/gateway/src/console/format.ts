import { html, SafeHtml } from './html';

/** Formats a time as UTC text for tables ("2025-01-31 12:00:05 UTC"), or a dash when there is none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';

  return `${iso.replace('T', ' ').replace(/\.\d+Z$/, '').replace(/Z$/, '')} UTC`;
}

export function badge(text: string, tone: 'ok' | 'bad' | 'warn' | 'muted'): SafeHtml {
  return html`<span class="badge ${tone}">${text}</span>`;
}

/** Builds a console URL with query parameters, leaving out empty ones. */
export function urlWithQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);

  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A route: an HTTP method and a path pattern whose capture groups become the handler's params. */
export interface Route<Handler> {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export type RouteMatch<Handler> =
  | { kind: 'found'; handler: Handler; params: string[] }
  | { kind: 'method_not_allowed'; allowed: string[] }
  | { kind: 'not_found' };

/** Finds the route for a request. A path that exists under another method gives `method_not_allowed`. */
export function matchRoute<Handler>(routes: Route<Handler>[], method: string, path: string): RouteMatch<Handler> {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match === null) {
      continue;
    }
    if (route.method === method) {
      return { kind: 'found', handler: route.handler, params: match.slice(1).map(decodePathSegment) };
    }
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'method_not_allowed', allowed } : { kind: 'not_found' };
}

/** Removes one trailing slash, so `/v3/team/` and `/v3/team` are the same path. */
export function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

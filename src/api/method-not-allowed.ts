/**
 * Tells a wrong method from a missing route. Hono answers both with its not-found handler; a
 * client that sends `PUT /v1/brands/:id` deserves to hear that the route exists and which methods
 * it takes (RFC 9110 §15.5.6: 405 with an `Allow` header), not that it is not there.
 */
interface RegisteredRoute {
  method: string;
  path: string;
}

interface RoutePattern {
  pattern: RegExp;
  methods: Set<string>;
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Exactly the route's path: the app routes strictly, so `/v1/brands/` is not `/v1/brands`, and
 * answering it 405 would say it takes the very method just refused.
 */
function patternOf(path: string): RegExp {
  const parts = path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('/')}$`);
}

/** Built once from the app's routes, after every route is registered. */
export function allowedMethodsFor(routes: readonly RegisteredRoute[]): (path: string) => string[] {
  const byPath = new Map<string, RoutePattern>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const entry = byPath.get(route.path) ?? { pattern: patternOf(route.path), methods: new Set<string>() };
    entry.methods.add(route.method);
    if (route.method === 'GET') entry.methods.add('HEAD');
    byPath.set(route.path, entry);
  }
  const patterns = [...byPath.values()];
  return (path) => {
    const methods = new Set<string>();
    for (const { pattern, methods: allowed } of patterns) {
      if (pattern.test(path)) for (const method of allowed) methods.add(method);
    }
    return ORDER.filter((method) => methods.has(method));
  };
}

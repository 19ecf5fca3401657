/**
 * The faces of the renderer. `/` is the console board; `/heatmap`, `/map`, `/devices` and `/quality` are
 * the other console pages; `/wall` is the wall display. Under file:// (Electron) the hash carries them.
 */
export const ROUTES = ['board', 'heatmap', 'map', 'devices', 'quality', 'triage', 'hotline', 'wall'] as const;
export type Route = (typeof ROUTES)[number];

const PAGE = /^\/?(heatmap|map|devices|quality|triage|hotline|wall)(?:\/|$|\?)/;

export function routeOf(location: Pick<Location, 'pathname' | 'hash'>): Route {
  const hash = location.hash.replace(/^#/, '');
  const fromHash = PAGE.exec(hash);
  if (fromHash) return fromHash[1] as Route;
  const fromPath = /\/(heatmap|map|devices|quality|triage|hotline|wall)\/?$/.exec(location.pathname);
  if (fromPath) return fromPath[1] as Route;
  return 'board';
}

/**
 * The href for a route. Electron loads index.html from file://, where only the hash can carry the
 * route; the hub serves every route's path itself.
 */
export function hrefOf(route: Route, location: Pick<Location, 'protocol' | 'pathname' | 'search'>): string {
  if (location.protocol === 'file:') return route === 'board' ? '#/' : `#/${route}`;
  const base = location.pathname
    .replace(/\/(heatmap|map|devices|quality|triage|hotline|wall)\/?$/, '/')
    .replace(/[^/]*$/, '');
  return `${route === 'board' ? base || '/' : `${base}${route}`}${location.search}`;
}

/** The two faces of the renderer: `/` is the console board, `/wall` (or `#/wall` under file://) the wall. */
export type Route = 'board' | 'wall';

export function routeOf(location: Pick<Location, 'pathname' | 'hash'>): Route {
  const hash = location.hash.replace(/^#/, '');
  if (/^\/?wall(\/|$|\?)/.test(hash)) return 'wall';
  if (/\/wall\/?$/.test(location.pathname)) return 'wall';
  return 'board';
}

/**
 * The href for a route. Electron loads index.html from file://, where only the hash can carry the
 * route; the hub serves `/wall` itself.
 */
export function hrefOf(route: Route, location: Pick<Location, 'protocol' | 'pathname' | 'search'>): string {
  if (location.protocol === 'file:') return route === 'wall' ? '#/wall' : '#/';
  const base = location.pathname.replace(/\/wall\/?$/, '/').replace(/[^/]*$/, '');
  return `${route === 'wall' ? `${base}wall` : base || '/'}${location.search}`;
}

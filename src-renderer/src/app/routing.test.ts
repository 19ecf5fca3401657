import { describe, expect, it } from 'vitest';
import { hrefOf, routeOf } from './routing';

describe('routing', () => {
  it('recognises each page by path or by hash', () => {
    expect(routeOf({ pathname: '/', hash: '' })).toBe('board');
    expect(routeOf({ pathname: '/wall', hash: '' })).toBe('wall');
    expect(routeOf({ pathname: '/wall/', hash: '' })).toBe('wall');
    expect(routeOf({ pathname: '/heatmap', hash: '' })).toBe('heatmap');
    expect(routeOf({ pathname: '/map', hash: '' })).toBe('map');
    expect(routeOf({ pathname: '/devices/', hash: '' })).toBe('devices');
    expect(routeOf({ pathname: '/opt/watchfloor/out/renderer/index.html', hash: '#/wall' })).toBe('wall');
    expect(routeOf({ pathname: '/index.html', hash: '#wall' })).toBe('wall');
    expect(routeOf({ pathname: '/index.html', hash: '#/map' })).toBe('map');
    expect(routeOf({ pathname: '/index.html', hash: '#/' })).toBe('board');
    expect(routeOf({ pathname: '/wallpaper', hash: '' })).toBe('board');
    expect(routeOf({ pathname: '/mapping', hash: '' })).toBe('board');
  });

  it('links with the hash under file:// and with the path on the hub, keeping the query (token)', () => {
    expect(hrefOf('wall', { protocol: 'file:', pathname: '/x/index.html', search: '' })).toBe('#/wall');
    expect(hrefOf('map', { protocol: 'file:', pathname: '/x/index.html', search: '' })).toBe('#/map');
    expect(hrefOf('board', { protocol: 'file:', pathname: '/x/index.html', search: '' })).toBe('#/');
    expect(hrefOf('wall', { protocol: 'http:', pathname: '/', search: '?token=t' })).toBe('/wall?token=t');
    expect(hrefOf('heatmap', { protocol: 'http:', pathname: '/map', search: '' })).toBe('/heatmap');
    expect(hrefOf('board', { protocol: 'http:', pathname: '/wall', search: '' })).toBe('/');
    expect(hrefOf('board', { protocol: 'http:', pathname: '/devices', search: '?token=t' })).toBe(
      '/?token=t',
    );
  });
});

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appPaths, appUrlMatcher, rendererTarget } from './app-paths';

describe('app paths', () => {
  const root = join('/opt', 'Watchfloor 工单', 'resources', 'app.asar');

  it('points at the built preload and renderer, and ignores the dev URL when packaged', () => {
    expect(appPaths(root, { isPackaged: true, devUrl: 'http://localhost:5173' })).toEqual({
      preload: join(root, 'out', 'preload', 'index.cjs'),
      rendererFile: join(root, 'out', 'renderer', 'index.html'),
      devUrl: null,
    });
    expect(appPaths(root, { isPackaged: false, devUrl: 'http://localhost:5173' }).devUrl).toBe(
      'http://localhost:5173',
    );
  });

  it('recognises only the app page (any hash) and the dev origin', () => {
    const paths = appPaths(root, { isPackaged: false, devUrl: 'http://localhost:5173/' });
    const isApp = appUrlMatcher(paths);
    const href = pathToFileURL(paths.rendererFile).href;
    expect(isApp(href)).toBe(true);
    expect(isApp(`${href}#/wall`)).toBe(true);
    expect(isApp('http://localhost:5173/#/wall')).toBe(true);
    for (const foreign of [
      pathToFileURL(join(root, 'out', 'renderer', 'other.html')).href,
      'file:///etc/passwd',
      'file://evil-host/opt/index.html',
      'http://localhost:5174/',
      'https://localhost:5173/',
      'https://example.com/',
      'data:text/html,<p>hi</p>',
      'about:blank',
      'garbage',
      '',
    ]) {
      expect(isApp(foreign), foreign).toBe(false);
    }
    const packaged = appUrlMatcher(appPaths(root, { isPackaged: true, devUrl: 'http://localhost:5173/' }));
    expect(packaged('http://localhost:5173/')).toBe(false);
  });

  it('loads the file with a hash route, or the dev URL', () => {
    const prod = appPaths(root, { isPackaged: true });
    expect(rendererTarget(prod)).toEqual({ file: prod.rendererFile });
    expect(rendererTarget(prod, '/wall')).toEqual({ file: prod.rendererFile, hash: '/wall' });
    const dev = appPaths(root, { isPackaged: false, devUrl: 'http://localhost:5173/' });
    expect(rendererTarget(dev, '/wall')).toEqual({ url: 'http://localhost:5173/#/wall' });
  });
});

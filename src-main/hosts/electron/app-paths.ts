import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where the built bundles live, relative to the app root (`app.getAppPath()`: the folder holding
 * package.json, or app.asar when packaged). electron-vite writes out/main, out/preload, out/renderer.
 */
export interface AppPaths {
  preload: string;
  rendererFile: string;
  /** The dev server (electron-vite sets ELECTRON_RENDERER_URL); never used when packaged. */
  devUrl: string | null;
}

export function appPaths(
  appRoot: string,
  options: { devUrl?: string | undefined; isPackaged: boolean },
): AppPaths {
  const devUrl = !options.isPackaged && options.devUrl ? options.devUrl : null;
  return {
    preload: join(appRoot, 'out', 'preload', 'index.cjs'),
    rendererFile: join(appRoot, 'out', 'renderer', 'index.html'),
    devUrl,
  };
}

/**
 * Builds the check "is this URL the app's own page": the built index.html (any hash or query, no other
 * file) or, in development, a page of the dev server's origin. Everything else — other files, other
 * sites, data: and blob: pages — is foreign.
 */
export function appUrlMatcher(paths: Pick<AppPaths, 'rendererFile' | 'devUrl'>): (url: string) => boolean {
  const filePath = decodePath(pathToFileURL(paths.rendererFile).pathname);
  const devOrigin = paths.devUrl ? (safeUrl(paths.devUrl)?.origin ?? null) : null;
  return (url) => {
    const u = safeUrl(url);
    if (!u) return false;
    if (u.protocol === 'file:') {
      const path = decodePath(u.pathname);
      return u.host === '' && path !== null && path === filePath;
    }
    return devOrigin !== null && devOrigin !== 'null' && u.origin === devOrigin;
  };
}

function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** What a window loads: the file (with a hash route) or the dev server URL. */
export type RendererTarget = { file: string; hash?: string } | { url: string };

export function rendererTarget(
  paths: Pick<AppPaths, 'rendererFile' | 'devUrl'>,
  route?: string,
): RendererTarget {
  if (paths.devUrl) return { url: route ? `${paths.devUrl.replace(/#.*$/, '')}#${route}` : paths.devUrl };
  return route ? { file: paths.rendererFile, hash: route } : { file: paths.rendererFile };
}

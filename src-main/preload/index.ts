import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

/**
 * The whole preload: `window.watchfloor` with exactly `invoke` and `subscribe`. The page gets no
 * `ipcRenderer`, no Node and no other channel. Built as CommonJS (`out/preload/index.cjs`) because
 * sandboxed preloads cannot be ES modules.
 */
contextBridge.exposeInMainWorld('watchfloor', createBridge(ipcRenderer));

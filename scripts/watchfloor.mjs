#!/usr/bin/env node
// The `watchfloor` command (package.json bin): builds when needed, then runs the Node host's CLI.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ensureBuild, root } from './ensure-build.mjs';

ensureBuild();
await import(pathToFileURL(join(root, 'out', 'main', 'hub.js')).href);

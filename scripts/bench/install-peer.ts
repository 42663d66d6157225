// npm run bench:install-peer — installs Emmett into .bench/emmett/ (what a full `npm run bench` does on its first run).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureEmmettInstalled, installedVersions } from './workloads/peers/emmett.js';

const scratchDir = join(fileURLToPath(new URL('../../..', import.meta.url)), '.bench');
const installDir = ensureEmmettInstalled(scratchDir, console.log);
console.log(`peer ready in ${installDir}: ${Object.entries(installedVersions(installDir)).map(([n, v]) => `${n}@${v}`).join(' ')}`);

import fastifyStatic from '@fastify/static';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The web console (web/, built by `npm run build:console` into dist/console) served at `/`: its files as
 * they are, and index.html for any other GET or HEAD outside `/api` (the console's own routes, e.g.
 * /orders/SO-1, reloaded in the browser). The API stays under `/api`: an unknown `/api/...` path is the
 * API's 404. When dist/console is missing (a developer running the TypeScript only), nothing is served
 * here and `/` is the API's plain 404.
 *
 * @fastify/static only sends the files (`reply.sendFile`); one catch-all GET route (HEAD with it) picks the
 * file or index.html. Its requests count as `unmatched` in the request log and the metrics, as no API route
 * took them (the route's `unmatchedRoute`, request-context.ts).
 */
export function serveConsole(app: NestFastifyApplication, directory: string = consoleDirectory()): boolean {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) return false;
  const fastify = app.getHttpAdapter().getInstance();
  void fastify.register(fastifyStatic, { root: directory, serve: false });
  const assets = `${join(directory, 'assets')}${sep}`;
  fastify.get('/*', { config: { unmatchedRoute: true } }, (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (isApiPath(path)) return reply.callNotFound();
    const file = fileOf(directory, path);
    // Hashed file names under assets/ may be cached for good; index.html is checked on every load.
    if (file !== undefined) {
      reply.header('Cache-Control', join(directory, file).startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(file, { cacheControl: false });
    }
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
  return true;
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** The file of the console a path names (relative to its directory), if there is one; never a dotfile or outside it. */
function fileOf(directory: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  if (relative === '' || relative.includes('\0') || relative.split(/[/\\]/).some((part) => part.startsWith('.'))) return undefined;
  const absolute = join(directory, relative);
  if (!absolute.startsWith(`${directory}${sep}`)) return undefined;
  try {
    return statSync(absolute).isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

/** dist/console of the package this file belongs to (found from src/ under jest and from dist/src/ when built). */
function consoleDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return join(directory, 'dist', 'console');
}

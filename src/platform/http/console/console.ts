import { type NestExpressApplication } from '@nestjs/platform-express';
import { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The web console (web/, built by `npm run build:console` into dist/console) served at `/`: its files as
 * they are, and index.html for any other GET or HEAD outside `/api` (the console's own routes, e.g.
 * /orders/SO-1, reloaded in the browser). The API stays under `/api`: an unknown `/api/...` path is the
 * API's 404. When dist/console is missing (a developer running the TypeScript only), nothing is served
 * here and `/` is the API's plain 404.
 */
export function serveConsole(app: NestExpressApplication, directory: string = consoleDirectory()): boolean {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) return false;
  // Hashed file names under assets/ may be cached for good; index.html is checked on every load.
  app.useStaticAssets(directory, {
    index: false,
    setHeaders: (response, path) => response.setHeader('Cache-Control', path.includes(`${join(directory, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(request.path)) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index, (error?: Error) => {
      if (error && !response.headersSent) next();
    });
  });
  return true;
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
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

/**
 * The module the projection worker thread runs (a file: URL of a JavaScript module). The default is the
 * compiled projection-worker.js beside this module; a host that runs the sources as they are (a test
 * runner compiling TypeScript on the fly, which a worker thread cannot load) provides the built one.
 */
export const PROJECTION_WORKER_MODULE = Symbol('ProjectionWorkerModule');

export function siblingWorkerModule(): URL {
  return new URL('./projection-worker.js', import.meta.url);
}

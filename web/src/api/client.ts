// The console's only way to the service: the public HTTP API under /api, same origin, with the user's API
// key as `Authorization: Bearer <key>` (API.md "Conventions"). A refusal becomes an ApiRequestError carrying
// the API's own code and message; a 401 also tells the session (which returns to the sign-in page).

/** API.md's error body: `{"error": {"code", "message", "details"}}`. */
interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** A request the API refused (or that never reached it): `message` is the API's own sentence. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  /** `If-Match: <revision>` for a command on an order (a stale one is 412). */
  readonly ifMatch?: number;
  readonly signal?: AbortSignal;
}

export interface ApiClient {
  get<T>(path: string, query?: Query, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  delete<T = void>(path: string, options?: RequestOptions): Promise<T>;
  /** A file the API sends (an export): its bytes and the name its `Content-Disposition` gives. */
  download(path: string, query?: Query, options?: RequestOptions): Promise<DownloadedFile>;
}

export interface DownloadedFile {
  readonly blob: Blob;
  readonly fileName: string | null;
}

/** `attachment; filename="orders-20261201T101500Z.csv"` -> `orders-20261201T101500Z.csv`. */
function fileNameOf(disposition: string | null): string | null {
  return /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1] ?? null;
}

/** `/api/orders?status=placed`: empty, null and undefined values are left out. */
function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const search = params.toString();
  return `/api${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
}

/** The error a response stands for: the API's body when it sent one, else the HTTP status as a sentence. */
async function refusal(response: Response): Promise<ApiRequestError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (body.error && typeof body.error.message === 'string') {
      return new ApiRequestError(response.status, body.error.code ?? 'error', body.error.message, body.error.details ?? {});
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiRequestError(response.status, 'http_error', `${response.status} ${response.statusText}`.trim());
}

/**
 * A client acting with `key`. `onUnauthenticated` runs when the API answers 401 (the key is unknown,
 * expired or revoked): the session forgets the key.
 */
export function createApiClient(key: string, onUnauthenticated: (refusal: ApiRequestError) => void = () => undefined, fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  async function respond(method: string, url: string, body: unknown, options: RequestOptions, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept, Authorization: `Bearer ${key}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['If-Match'] = String(options.ifMatch);
    let response: Response;
    try {
      response = await fetchImpl(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: options.signal, credentials: 'same-origin' });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiRequestError(0, 'network_error', 'the service cannot be reached');
    }
    if (!response.ok) {
      const error = await refusal(response);
      if (response.status === 401) onUnauthenticated(error);
      throw error;
    }
    return response;
  }
  async function send<T>(method: string, url: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    const response = await respond(method, url, body, options, 'application/json');
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  return {
    get: (path, query, options) => send('GET', apiUrl(path, query), undefined, options),
    post: (path, body, options) => send('POST', apiUrl(path), body ?? {}, options),
    put: (path, body, options) => send('PUT', apiUrl(path), body ?? {}, options),
    patch: (path, body, options) => send('PATCH', apiUrl(path), body ?? {}, options),
    delete: (path, options) => send('DELETE', apiUrl(path), undefined, options),
    async download(path, query, options = {}) {
      const response = await respond('GET', apiUrl(path, query), undefined, options, '*/*');
      return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('Content-Disposition')) };
    },
  };
}

/** A list page: API.md "Lists answer `{items, nextCursor?}`". */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string | null;
}

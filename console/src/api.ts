// The console's only way to the server: same origin, the bearer token (if any) on every call.

const TOKEN_KEY = 'meshplane.console.token';

/** A call the server refused or failed: its HTTP status and the message of App Mesh's error body. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly type: string | null, message: string) {
    super(message);
  }

  /** 401 or 403: the caller must sign in, or sign in as someone else. */
  get unauthorised(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** GETs a path of this server as JSON; a status other than 2xx throws an ApiError naming what the server said. */
export async function getJson<T>(path: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
  }
  const response = await fetch(path, { headers, cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not App Mesh's error shape (a proxy in front, for instance): show the body as it is
    }
    throw new ApiError(response.status, response.headers.get('x-amzn-ErrorType'), message || response.statusText);
  }
  return JSON.parse(text) as T;
}

/** The meshes the caller may read, every page of ListMeshes. */
export async function listMeshes(): Promise<string[]> {
  const names: string[] = [];
  let next: string | null = null;
  do {
    const query: string = next ? `?nextToken=${encodeURIComponent(next)}` : '';
    const page: { meshes: { meshName: string }[]; nextToken?: string | null } =
      await getJson(`/v20190125/meshes${query}`);
    page.meshes.forEach((mesh) => names.push(mesh.meshName));
    next = page.nextToken ?? null;
  } while (next);
  return names.sort();
}

/** Traffic figures of an edge or a node over the window (GET /v1/meshes/{mesh}/graph, docs/traffic.md). */
export interface Traffic {
  requests: number;
  successful: number;
  errors: number;
  requestsPerSecond: number;
  successRate?: number | null;
  errorRate?: number | null;
  averageInFlight: number;
  latencyP50Millis?: number | null;
  latencyP99Millis?: number | null;
}

/** A proxy's last rejection: the xDS type, the version it refused, its own error message, when. */
export interface Nack {
  typeUrl: string;
  rejectedVersion: string | null;
  message: string;
  at: number | string;
}

export interface ProxyState {
  nodeId: string;
  kind: string;
  userAgent: string | null;
  state: 'acked' | 'nacked' | 'pending';
  lastNack: Nack | null;
  translationError: string | null;
}

export interface GraphNode {
  id: string;
  kind: 'virtualService' | 'virtualRouter' | 'virtualNode' | 'virtualGateway';
  name: string;
  proxies?: { connected: number; acked: number; nacked: number; items: ProxyState[] };
  traffic?: { inbound: Traffic; outbound: Traffic };
}

export interface GraphEdge {
  id: string;
  kind: 'backend' | 'provider' | 'route' | 'gatewayRoute' | 'traffic';
  from: string;
  to: string;
  route?: string | null;
  weight?: number | null;
  port?: number | null;
  /** On a route edge: the route before it that matches every request it matches, so it is never taken. */
  shadowedBy?: string | null;
  via?: string | null;
  traffic?: Traffic;
  health?: 'healthy' | 'degraded' | 'failing' | 'idle';
}

export interface Graph {
  meshName: string;
  window: string;
  windowSeconds: number;
  generatedAt: number | string;
  /** Where latency is known and where it is not (gRPC clients report none over LRS). */
  latencyNote?: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function graph(mesh: string, window: string): Promise<Graph> {
  return getJson(`/v1/meshes/${encodeURIComponent(mesh)}/graph?window=${encodeURIComponent(window)}`);
}

/** One connected proxy as GET /v1/proxies lists it: per xDS type the version sent and the version accepted. */
export interface ProxyStatus {
  nodeId: string;
  mesh: string;
  kind: string;
  name: string;
  connectedSince: number | string;
  types: Record<string, { sent: string | null; acked: string | null }>;
  lastNack: Nack | null;
  translationError: string | null;
}

export async function proxies(): Promise<ProxyStatus[]> {
  const answer: { proxies: ProxyStatus[] } = await getJson('/v1/proxies');
  return answer.proxies;
}

/** What a connected proxy is being sent (GET /v1/proxies/{nodeId}/config), as the server prints it. */
export function proxyConfigPath(nodeId: string): string {
  return `/v1/proxies/${nodeId.split('/').map(encodeURIComponent).join('/')}/config`;
}

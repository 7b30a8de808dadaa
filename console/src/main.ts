// The console: the meshes the caller may read, the selected mesh's live graph, and a panel per node.
import {
  ApiError, type Graph, type GraphEdge, type GraphNode, type ProxyStatus, type Traffic,
  getJson, graph, listMeshes, proxies, proxyConfigPath, setToken, token,
} from './api';
import { GraphView } from './graph';
import { healthColour, millis, percent, rate, time } from './format';

/**
 * How often the selected mesh is read again; ?refresh=<ms> changes it, never below a second: anyone can send a link
 * with ?refresh=1, which would have the reader's tab read the graph back to back for as long as it stays open.
 */
const REFRESH_MILLIS = Math.max(1000, Number(new URLSearchParams(location.search).get('refresh')) || 3000);

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** An element with text content (never HTML: names come from users) and attributes. */
function h(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => element.setAttribute(name, value));
  children.forEach((child) => element.append(child));
  return element;
}

interface State {
  mesh: string | null;
  node: string | null;
  window: string;
  graph: Graph | null;
  proxies: ProxyStatus[];
}

const state: State = { mesh: null, node: null, window: '5m', graph: null, proxies: [] };
let view: GraphView | null = null;
let timer: number | undefined;

function showError(message: string | null): void {
  const box = $('error');
  box.hidden = message === null;
  box.textContent = message ?? '';
}

/** A 401 or 403 asks for a token, saying why; anything else is shown as the server's message. */
function handle(error: unknown): void {
  if (error instanceof ApiError && error.unauthorised) {
    stop();
    $('app').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-message').textContent = error.status === 401
      ? (token() ? `The server did not accept this token (401: ${error.message}). Enter another.`
        : 'This server requires authentication: enter a bearer token.')
      : `This token may not read this (403: ${error.message}). Enter a token with viewer rights on the mesh.`;
    $('sign-in').dataset.status = String(error.status);
    return;
  }
  showError(error instanceof ApiError ? `${error.status} ${error.type ?? ''}: ${error.message}` : String(error));
}

function stop(): void {
  window.clearTimeout(timer);
  timer = undefined;
}

async function loadMeshes(): Promise<void> {
  const meshes = await listMeshes();
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = token() === null;
  const list = $('mesh-list');
  list.replaceChildren(...meshes.map((mesh) => h('li', {},
    h('a', { href: `#/meshes/${encodeURIComponent(mesh)}`, 'data-mesh': mesh,
      class: mesh === state.mesh ? 'current' : '' }, mesh))));
  $('empty').hidden = meshes.length > 0;
}

/** Reads the location's #/meshes/<mesh>[/<node id>] and shows it. */
function route(): void {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  const mesh = parts[0] === 'meshes' && parts[1] ? decodeURIComponent(parts[1]) : null;
  const node = mesh && parts.length > 2 ? decodeURIComponent(parts.slice(2).join('/')) : null;
  const meshChanged = mesh !== state.mesh;
  state.mesh = mesh;
  state.node = node;
  document.querySelectorAll<HTMLAnchorElement>('#mesh-list a').forEach((a) =>
    a.classList.toggle('current', a.dataset.mesh === mesh));
  $('mesh').hidden = mesh === null;
  if (meshChanged) {
    state.graph = null;
    view?.destroy();
    view = mesh ? new GraphView($('graph'), (id) => { location.hash = `#/meshes/${encodeURIComponent(mesh)}/${id}`; }) : null;
    $('mesh-title').textContent = mesh ?? '';
  }
  stop();
  if (mesh) {
    void refresh();
  }
  if (state.graph) {
    render();
  }
}

async function refresh(): Promise<void> {
  const mesh = state.mesh;
  if (!mesh) {
    return;
  }
  try {
    const [next, connected] = await Promise.all([graph(mesh, state.window), proxies()]);
    if (mesh !== state.mesh) {
      return;
    }
    state.graph = next;
    state.proxies = connected.filter((proxy) => proxy.mesh === mesh);
    showError(null);
    render();
  } catch (error) {
    handle(error);
    if (error instanceof ApiError && error.unauthorised) {
      return;
    }
  }
  stop();
  timer = window.setTimeout(() => void refresh(), REFRESH_MILLIS);
}

function render(): void {
  const current = state.graph!;
  view?.show(current);
  view?.select(state.node);
  $('graph').dataset.renderedNodes = String(current.nodes.length);
  $('graph').dataset.renderedEdges = String(current.edges.length);
  $('updated').textContent = `updated ${time(current.generatedAt)}, every ${REFRESH_MILLIS / 1000} s`;
  if (current.latencyNote) {
    $('latency-note').textContent = current.latencyNote;
  }
  renderNackAlert(current);
  renderEdges(current);
  renderNodes(current);
  renderPanel(current);
}

function nodeName(current: Graph, id: string | null | undefined): string {
  return id ? current.nodes.find((node) => node.id === id)?.name ?? id : '–';
}

function nodeLink(current: Graph, id: string): HTMLElement {
  return h('a', { href: `#/meshes/${encodeURIComponent(current.meshName)}/${id}` }, nodeName(current, id));
}

function renderNackAlert(current: Graph): void {
  const nacking = current.nodes.filter((node) => (node.proxies?.nacked ?? 0) > 0);
  const alert = $('nack-alert');
  alert.hidden = nacking.length === 0;
  alert.replaceChildren(h('strong', {}, 'Configuration rejected: '),
    ...nacking.flatMap((node, i) => [i > 0 ? ', ' : '', nodeLink(current, node.id),
      ` (${node.proxies!.nacked} of ${node.proxies!.connected} prox${node.proxies!.connected === 1 ? 'y' : 'ies'})`]));
}

function renderEdges(current: Graph): void {
  const live = current.edges.filter((edge) => edge.kind === 'traffic');
  $('edges').querySelector('tbody')!.replaceChildren(...(live.length === 0
    ? [h('tr', {}, h('td', { colspan: '9', class: 'muted' }, 'No traffic reported in this window.'))]
    : live.map((edge) => edgeRow(current, edge))));
}

function edgeRow(current: Graph, edge: GraphEdge): HTMLElement {
  const t = edge.traffic;
  return h('tr', { 'data-edge': edge.id, 'data-from': nodeName(current, edge.from), 'data-to': nodeName(current, edge.to) },
    h('td', {}, nodeLink(current, edge.from)),
    h('td', {}, edge.via ? nodeName(current, edge.via) : '–'),
    h('td', {}, nodeLink(current, edge.to), edge.port ? `:${edge.port}` : ''),
    h('td', { class: 'num rps' }, t ? rate(t.requestsPerSecond) : '–'),
    h('td', { class: 'num' }, t ? percent(t.successRate) : '–'),
    h('td', { class: 'num error-rate' }, t ? percent(t.errorRate) : '–'),
    h('td', { class: 'num' }, t ? millis(t.latencyP50Millis) : '–'),
    h('td', { class: 'num' }, t ? millis(t.latencyP99Millis) : '–'),
    h('td', {}, healthBadge(edge.health)));
}

function healthBadge(health: GraphEdge['health']): HTMLElement {
  return h('span', { class: 'badge', style: `background:${healthColour(health)}` }, health ?? 'idle');
}

function proxyBadges(node: GraphNode): (HTMLElement | string)[] {
  const proxiesOfNode = node.proxies;
  if (!proxiesOfNode) {
    return [''];
  }
  const badges: (HTMLElement | string)[] = [`${proxiesOfNode.connected} `];
  if (proxiesOfNode.nacked > 0) {
    badges.push(h('span', { class: 'badge nack' }, `NACK ${proxiesOfNode.nacked}`));
  }
  if (proxiesOfNode.acked > 0) {
    badges.push(h('span', { class: 'badge ack' }, `ACK ${proxiesOfNode.acked}`));
  }
  return badges;
}

function renderNodes(current: Graph): void {
  const order = ['virtualGateway', 'virtualService', 'virtualRouter', 'virtualNode'];
  const nodes = [...current.nodes].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind)
    || a.name.localeCompare(b.name));
  $('nodes').querySelector('tbody')!.replaceChildren(...nodes.map((node) => h('tr',
    { 'data-node': node.id, class: node.id === state.node ? 'current' : '' },
    h('td', {}, node.kind),
    h('td', {}, nodeLink(current, node.id)),
    h('td', {}, ...proxyBadges(node)),
    h('td', { class: 'num' }, node.traffic ? rate(node.traffic.inbound.requestsPerSecond) : ''),
    h('td', { class: 'num' }, node.traffic ? percent(node.traffic.inbound.errorRate) : ''))));
}

function trafficRow(label: string, t: Traffic): HTMLElement {
  return h('tr', {}, h('th', {}, label), h('td', { class: 'num' }, String(t.requests)),
    h('td', { class: 'num' }, rate(t.requestsPerSecond)), h('td', { class: 'num' }, percent(t.successRate)),
    h('td', { class: 'num' }, percent(t.errorRate)), h('td', { class: 'num' }, t.averageInFlight.toFixed(1)),
    h('td', { class: 'num' }, millis(t.latencyP50Millis)), h('td', { class: 'num' }, millis(t.latencyP99Millis)));
}

function renderPanel(current: Graph): void {
  const panel = $('node-panel');
  const node = current.nodes.find((n) => n.id === state.node);
  panel.hidden = !node;
  if (!node) {
    return;
  }
  if (panel.dataset.node === node.id && panel.querySelector('pre.config')) {
    // a configuration being read stays open: only its figures change below
    panel.querySelector('.figures')?.replaceWith(figures(current, node));
    panel.querySelector('.proxies')?.replaceWith(proxyTable(node));
    return;
  }
  panel.dataset.node = node.id;
  panel.replaceChildren(h('h2', {}, `${node.kind} ${node.name}`), figures(current, node), proxyTable(node));
}

function figures(current: Graph, node: GraphNode): HTMLElement {
  const box = h('div', { class: 'figures' });
  if (node.traffic) {
    box.append(h('h3', {}, `Traffic over ${current.window}`), h('table', { class: 'traffic' },
      h('thead', {}, h('tr', {}, ...['', 'requests', 'req/s', 'success', 'errors', 'in flight', 'p50', 'p99']
        .map((label) => h('th', {}, label)))),
      h('tbody', {}, trafficRow('inbound', node.traffic.inbound), trafficRow('outbound', node.traffic.outbound))));
  }
  const edges = current.edges.filter((edge) => edge.from === node.id || edge.to === node.id);
  if (edges.length > 0) {
    box.append(h('h3', {}, 'Edges'), h('ul', { class: 'edge-list' }, ...edges.map((edge) => h('li', {},
      `${edge.kind} `, nodeLink(current, edge.from), ' → ', nodeLink(current, edge.to),
      edge.route ? ` (route ${edge.route}${edge.weight != null ? `, weight ${edge.weight}` : ''})` : '',
      edge.traffic ? ` ${rate(edge.traffic.requestsPerSecond)} req/s, ${percent(edge.traffic.errorRate)} errors` : ''))));
  }
  return box;
}

function proxyTable(node: GraphNode): HTMLElement {
  const box = h('div', { class: 'proxies' });
  if (!node.proxies) {
    return box;
  }
  box.append(h('h3', {}, 'Proxies connected to this replica'));
  if (node.proxies.items.length === 0) {
    box.append(h('p', { class: 'muted' }, 'None connected.'));
    return box;
  }
  const rows = node.proxies.items.map((proxy) => {
    const status = state.proxies.find((p) => p.nodeId === proxy.nodeId);
    const types = status ? Object.entries(status.types).map(([type, v]) =>
      `${type}: sent ${v.sent ?? '–'}, accepted ${v.acked ?? '–'}`).join('; ') : '';
    const show = h('button', { type: 'button', class: 'show-config' }, 'what it was sent');
    const row = h('tr', { 'data-proxy': proxy.nodeId, class: proxy.state },
      h('td', {}, proxy.nodeId, h('br'), h('span', { class: 'muted' }, `${proxy.kind} ${proxy.userAgent ?? ''}`)),
      h('td', {}, h('span', { class: `badge ${proxy.state === 'nacked' ? 'nack' : proxy.state === 'acked' ? 'ack' : 'pending'}` },
        proxy.state === 'nacked' ? 'NACK' : proxy.state === 'acked' ? 'ACK' : 'pending')),
      h('td', {}, types, ...(proxy.lastNack ? [h('div', { class: 'nack-message' },
        `rejected ${proxy.lastNack.typeUrl.replace(/^.*\./, '')} ${proxy.lastNack.rejectedVersion ?? ''}`
        + ` at ${time(proxy.lastNack.at)}: ${proxy.lastNack.message}`)] : []),
      ...(proxy.translationError ? [h('div', { class: 'nack-message' }, `not translated: ${proxy.translationError}`)] : [])),
      h('td', {}, show));
    show.addEventListener('click', () => void showConfig(row, proxy.nodeId));
    return row;
  });
  box.append(h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'node id'), h('th', {}, 'state'),
    h('th', {}, 'sent and accepted'), h('th', {}, 'configuration'))), h('tbody', {}, ...rows)));
  return box;
}

/** Shows under the proxy's row what it is being sent (GET /v1/proxies/{nodeId}/config), fetched with the token. */
async function showConfig(row: HTMLElement, nodeId: string): Promise<void> {
  const panel = $('node-panel');
  panel.querySelector('pre.config')?.remove();
  const pre = h('pre', { class: 'config', 'data-proxy': nodeId }, 'reading…');
  panel.append(h('h3', {}, `Configuration sent to ${nodeId}`), pre);
  row.scrollIntoView({ block: 'nearest' });
  try {
    pre.textContent = JSON.stringify(await getJson(proxyConfigPath(nodeId)), null, 2);
  } catch (error) {
    pre.textContent = error instanceof ApiError ? `${error.status}: ${error.message}` : String(error);
  }
}

async function start(): Promise<void> {
  try {
    await loadMeshes();
    route();
  } catch (error) {
    handle(error);
  }
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken(($('token') as HTMLInputElement).value.trim());
  ($('token') as HTMLInputElement).value = '';
  void start();
});
$('sign-out').addEventListener('click', () => {
  setToken(null);
  location.reload();
});
$('window').addEventListener('change', (event) => {
  state.window = (event.target as HTMLSelectElement).value;
  stop();
  void refresh();
});
window.addEventListener('hashchange', () => {
  void loadMeshes().catch(handle);
  route();
});
void start();

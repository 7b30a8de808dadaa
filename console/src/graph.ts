// The service graph drawn with Cytoscape.js, laid out by dagre: configured edges dashed, live edges
// coloured by error rate, the targets of one router boxed together so versions stand side by side.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { Graph, GraphEdge, GraphNode, Traffic } from './api';
import { healthColour, percent, rate } from './format';

cytoscape.use(dagre);

const KIND_SHAPE: Record<GraphNode['kind'], string> = {
  virtualService: 'round-rectangle',
  virtualRouter: 'diamond',
  virtualNode: 'ellipse',
  virtualGateway: 'hexagon',
};

/** The one line under a traffic edge: requests per second and error rate. */
export function trafficLabel(traffic: Traffic | undefined): string {
  if (!traffic || traffic.requests === 0) {
    return 'idle';
  }
  return `${rate(traffic.requestsPerSecond)} req/s · ${percent(traffic.errorRate)} err`;
}

/**
 * Each node targeted by a router's routes goes into that router's group (the first router, if several): a
 * router's targets are the versions of one service. Gateway routes target services, which stay ungrouped.
 */
function groups(graph: Graph): Map<string, string> {
  const byNode = new Map<string, string>();
  for (const edge of graph.edges) {
    if (edge.kind === 'route' && !byNode.has(edge.to)) {
      byNode.set(edge.to, `group:${edge.from}`);
    }
  }
  return byNode;
}

function nodeLabel(node: GraphNode): string {
  const proxies = node.proxies;
  if (!proxies) {
    // a service's DNS-like name on two lines (name, then its domain), so that neighbours' labels do not overlap
    return node.name.replace('.', '\n.');
  }
  const flag = proxies.nacked > 0 ? `\n⚠ ${proxies.nacked} NACK` : '';
  return `${node.name}\n${proxies.connected} prox${proxies.connected === 1 ? 'y' : 'ies'}${flag}`;
}

function edgeLabel(edge: GraphEdge): string {
  switch (edge.kind) {
    case 'route':
    case 'gatewayRoute':
      return `${edge.route ?? ''}${edge.weight != null ? ` ${edge.weight}` : ''}`
        + (edge.shadowedBy ? `, shadowed by ${edge.shadowedBy}` : '');
    case 'traffic':
      return trafficLabel(edge.traffic);
    default:
      return '';
  }
}

/** The graph's nodes and edges as Cytoscape elements (group boxes included). */
export function elements(graph: Graph): ElementDefinition[] {
  const parent = groups(graph);
  const names = new Map(graph.nodes.map((node) => [node.id, node.name]));
  const result: ElementDefinition[] = [];
  for (const id of new Set(parent.values())) {
    const router = id.substring('group:'.length);
    result.push({ data: { id, label: `${names.get(router) ?? router} targets` }, classes: 'group' });
  }
  for (const node of graph.nodes) {
    result.push({
      data: { id: node.id, label: nodeLabel(node), kind: node.kind, parent: parent.get(node.id),
        shape: KIND_SHAPE[node.kind] ?? 'ellipse' },
      classes: `${node.kind}${node.proxies && node.proxies.nacked > 0 ? ' nacked' : ''}`,
    });
  }
  for (const edge of graph.edges) {
    const live = edge.kind === 'traffic';
    result.push({
      data: { id: edge.id, source: edge.from, target: edge.to, label: edgeLabel(edge),
        colour: live ? healthColour(edge.health) : '#9aa5b1',
        width: live ? Math.min(8, 2 + Math.log10(1 + (edge.traffic?.requestsPerSecond ?? 0)) * 2) : 1.5 },
      classes: live ? 'traffic' : `configured ${edge.kind}`,
    });
  }
  return result.filter((element) => element.data.source === undefined
    || (names.has(element.data.source) && names.has(element.data.target)));
}

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: {
    label: 'data(label)', shape: 'data(shape)' as never, 'text-wrap': 'wrap', 'font-size': 11,
    'text-valign': 'bottom', 'text-margin-y': 4, width: 34, height: 34, 'background-color': '#4c6ef5',
    'border-width': 2, 'border-color': '#364fc7' } },
  { selector: 'node.virtualService', style: { 'background-color': '#7950f2', 'border-color': '#5f3dc4', width: 44 } },
  { selector: 'node.virtualRouter', style: { 'background-color': '#f59f00', 'border-color': '#e67700' } },
  { selector: 'node.virtualGateway', style: { 'background-color': '#0ca678', 'border-color': '#087f5b' } },
  { selector: 'node.nacked', style: { 'border-color': '#e03131', 'border-width': 5, color: '#c92a2a',
    'font-weight': 'bold' } },
  { selector: 'node.group', style: { shape: 'round-rectangle', 'background-color': '#f1f3f5',
    'border-color': '#ced4da', 'border-width': 1, 'border-style': 'dashed', label: 'data(label)',
    'text-valign': 'top', 'font-size': 10, color: '#868e96', padding: '14px' } },
  { selector: 'node:selected', style: { 'overlay-color': '#4c6ef5', 'overlay-opacity': 0.15 } },
  { selector: 'edge', style: { width: 'data(width)', 'line-color': 'data(colour)',
    'target-arrow-color': 'data(colour)', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier',
    label: 'data(label)', 'font-size': 10, 'text-background-color': '#ffffff', 'text-background-opacity': 0.85,
    'text-rotation': 'autorotate' } },
  { selector: 'edge.configured', style: { 'line-style': 'dashed', color: '#6c757d' } },
  { selector: 'edge.traffic', style: { 'font-weight': 'bold' } },
];

/** A graph on the page: draws a mesh's graph, and redraws it in place as new figures come. */
export class GraphView {
  private readonly cy: Core;
  private shape = '';

  constructor(container: HTMLElement, onSelect: (nodeId: string) => void) {
    this.cy = cytoscape({ container, style: STYLE, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3 });
    this.cy.on('tap', 'node', (event) => {
      const id: string = event.target.id();
      if (!id.startsWith('group:')) {
        onSelect(id);
      }
    });
  }

  /** Shows this graph: the same nodes and edges only change their labels and colours; new ones are laid out again. */
  show(graph: Graph): void {
    const next = elements(graph);
    const shape = next.map((element) => `${element.data.id}>${element.data.parent ?? ''}`).sort().join('|');
    if (shape === this.shape) {
      this.cy.batch(() => next.forEach((element) => this.cy.getElementById(element.data.id!)
        .data(element.data).classes(element.classes as string)));
      return;
    }
    this.shape = shape;
    this.cy.elements().remove();
    this.cy.add(next);
    // labels count in each node's size, so that versions side by side with long names do not write over each other
    this.cy.layout({ name: 'dagre', rankDir: 'TB', nodeSep: 60, rankSep: 70, padding: 20,
      nodeDimensionsIncludeLabels: true, animate: false } as cytoscape.LayoutOptions).run();
  }

  select(nodeId: string | null): void {
    this.cy.nodes().unselect();
    if (nodeId) {
      this.cy.getElementById(nodeId).select();
    }
  }

  destroy(): void {
    this.cy.destroy();
  }
}

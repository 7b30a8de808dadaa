// How figures are written on the page.
import type { GraphEdge } from './api';

/** The colour of a live edge: the graph API's health, which it judges by the edge's error rate. */
export const HEALTH_COLOUR: Record<NonNullable<GraphEdge['health']>, string> = {
  healthy: '#2f9e44',
  degraded: '#f08c00',
  failing: '#e03131',
  idle: '#adb5bd',
};

export function healthColour(health: GraphEdge['health'] | undefined): string {
  return HEALTH_COLOUR[health ?? 'idle'];
}

export function rate(perSecond: number | null | undefined): string {
  if (perSecond == null) {
    return '–';
  }
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond >= 0.1 ? perSecond.toFixed(1) : perSecond.toFixed(2);
}

/** A fraction as a percentage; "–" when unknown (no request finished in the window: null, or left out). */
export function percent(fraction: number | null | undefined): string {
  return fraction == null ? '–' : `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.1 ? 1 : 0)}%`;
}

/** A latency in milliseconds; "n/a" when the reporters gave none (gRPC clients report none over LRS). */
export function millis(value: number | null | undefined): string {
  return value == null ? 'n/a' : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

export function time(value: number | string): string {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleTimeString();
}

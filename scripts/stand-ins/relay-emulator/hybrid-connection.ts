import { WebSocket } from 'ws';
import type { SasRight, SasRule } from '../../../src/relay/sas-token.js';

/** One hybrid connection as configured in the namespace. */
export interface HybridConnectionConfig {
  name: string;
  rules: Array<{ keyName: string; key: string; rights: SasRight[] }>;
}

/** A connected listener's control channel. */
export interface ListenerChannel {
  /** `sb-hc-id` given by the listener, or one the emulator made up. */
  id: string;
  ws: WebSocket;
  /** How the listener reached the relay (its Host header): rendezvous addresses given to it use the same. */
  host: string;
  /** The namespace its token was checked against; renewals are checked against the same. */
  namespace: string;
  /** Requests handed to this listener. */
  served: number;
  expiryTimer?: NodeJS.Timeout;
}

/** The listeners of one hybrid connection and the round robin that spreads requests over them. */
export class HybridConnection {
  private readonly listeners: ListenerChannel[] = [];
  private next = 0;

  constructor(
    readonly name: string,
    readonly rules: readonly SasRule[],
  ) {}

  add(listener: ListenerChannel): void {
    this.listeners.push(listener);
  }

  remove(listener: ListenerChannel): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  /** The next open listener in turn, or undefined when none is connected (the sender gets 502). */
  pick(): ListenerChannel | undefined {
    const open = this.listeners.filter((l) => l.ws.readyState === WebSocket.OPEN);
    if (open.length === 0) return undefined;
    const listener = open[this.next % open.length]!;
    this.next = (this.next + 1) % Number.MAX_SAFE_INTEGER;
    listener.served++;
    return listener;
  }

  connected(): readonly ListenerChannel[] {
    return this.listeners;
  }
}

/**
 * The kernel's retransmission state of this namespace's TCP connections to a peer (`ss -ti`), read at
 * the heal of a cut: what is sent into a cut waits in TCP, whose retransmission timeout doubles at each
 * unanswered try (`backoff`), so the first retransmission after the heal, not the outbox, decides when
 * a request stuck in the relay's channel to the link service gets through.
 */
import { spawnSync } from 'node:child_process';

export interface TcpTimers {
  /** Local and peer address:port. */
  connection: string;
  /** The current retransmission timeout (doubled `backoff` times). */
  rto_ms: number;
  backoff: number;
  unacked: number;
  /** When the next retransmission is due: rto minus the time since the last send (approximate). */
  next_retransmission_in_ms: number | null;
}

const field = (line: string, name: string): number | undefined => {
  const m = new RegExp(`(?:^|\\s)${name}:([\\d.]+)`).exec(line);
  return m ? Number(m[1]) : undefined;
};

/**
 * The established connections to `address` with data in flight (unacked), most backed off first; in
 * namespace `ns` when given, else in this process's.
 */
export function tcpTimersTo(address: string, ns?: string): TcpTimers[] {
  const ss = ['ss', '-tinH', 'state', 'established', 'dst', address];
  const [cmd, ...args] = ns ? ['ip', 'netns', 'exec', ns, ...ss] : ss;
  const r = spawnSync(cmd!, args, { encoding: 'utf8', timeout: 5000 });
  const lines = (r.stdout ?? '').split('\n');
  const timers: TcpTimers[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const info = lines[i + 1]!;
    if (/^\s/.test(lines[i]!) || !/^\s/.test(info)) continue;
    const unacked = field(info, 'unacked') ?? 0;
    if (unacked === 0) continue;
    const rto = field(info, 'rto') ?? 0;
    const lastsnd = field(info, 'lastsnd');
    const [, , local, peer] = lines[i]!.trim().split(/\s+/);
    timers.push({
      connection: `${local} -> ${peer}`,
      rto_ms: rto,
      backoff: field(info, 'backoff') ?? 0,
      unacked,
      next_retransmission_in_ms: lastsnd === undefined ? null : Math.max(0, Math.round(rto - lastsnd)),
    });
  }
  return timers.sort((a, b) => b.backoff - a.backoff);
}

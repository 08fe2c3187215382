#!/usr/bin/env python3
"""
The WAN between the two namespaces where the kernel has no netem (sch_netem): a TUN device named
DEVICE in each namespace and this process carrying IP packets between them, each held for the
one-way delay (normal jitter), dropped with the loss probability, every one dropped while the loss is
100 % (a silent cut: no RST, no ICMP). Packets already on their way when the loss changes still
arrive, as with netem. One direction's packets keep their order (netem with a jitter may reorder).

Python rather than node: opening a TUN device takes an ioctl, and entering a namespace a setns(2),
neither of which node offers. Standard library only.

  tun-wan.py CLOUD_NS ONPREM_NS DEVICE CONTROL_SOCKET DELAY_MS JITTER_MS LOSS_PERCENT
      prints "ready" once both devices exist; ends when its stdin closes (the parent is gone) or on
      SIGTERM. Control: a Unix stream socket at CONTROL_SOCKET; a connection sends one JSON line
      ({"delayMs": 30, "jitterMs": 5, "lossPercent": 1}, any of the keys, or {}) and gets the
      counters back as one JSON line.
  tun-wan.py --probe NS DEVICE
      exits 0 when a TUN device can be made in NS (then gone again), else prints why and exits 1.
"""
import ctypes
import fcntl
import heapq
import json
import os
import random
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL(None, use_errno=True)


def enter(ns_fd):
    if LIBC.setns(ns_fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "setns: " + os.strerror(err))


def open_tun(ns, name):
    """A TUN device `name` made in namespace `ns`; it stays there whatever namespace this process is in."""
    ns_fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        enter(ns_fd)
    finally:
        os.close(ns_fd)
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Wan:
    def __init__(self, fds, shape):
        self.fds = fds
        self.shape = shape
        self.queue = []  # (due, seq, out fd index, packet)
        self.seq = 0
        self.last_due = [0.0, 0.0]
        # [cloud -> on-prem, on-prem -> cloud]
        self.counters = {"carried": [0, 0], "dropped": [0, 0]}

    def receive(self, i):
        """Reads every packet waiting on device i and schedules it on the other one (or drops it)."""
        out = 1 - i
        while True:
            try:
                packet = os.read(self.fds[i], 65535)
            except BlockingIOError:
                return
            if random.random() * 100 < self.shape["lossPercent"]:
                self.counters["dropped"][i] += 1
                continue
            delay = max(0.0, random.gauss(self.shape["delayMs"], self.shape["jitterMs"])) / 1000
            due = max(time.monotonic() + delay, self.last_due[out])
            self.last_due[out] = due
            heapq.heappush(self.queue, (due, self.seq, out, packet))
            self.seq += 1
            self.counters["carried"][i] += 1

    def send_due(self):
        """Writes the packets whose time has come; returns the seconds until the next one (None: none)."""
        now = time.monotonic()
        while self.queue and self.queue[0][0] <= now:
            _, _, out, packet = heapq.heappop(self.queue)
            try:
                os.write(self.fds[out], packet)
            except OSError:
                pass  # the device is down or full: lost, as on a wire
        return max(0.0, self.queue[0][0] - now) if self.queue else None


def control(listener, wan):
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(2)
        data = b""
        while not data.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        change = json.loads(data or b"{}")
        wan.shape.update({k: float(v) for k, v in change.items() if k in wan.shape})
        conn.sendall((json.dumps({"shape": wan.shape, **wan.counters}) + "\n").encode())


def serve(args):
    cloud_ns, onprem_ns, device, control_path = args[:4]
    shape = {"delayMs": float(args[4]), "jitterMs": float(args[5]), "lossPercent": float(args[6])}
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    fds = [open_tun(cloud_ns, device), open_tun(onprem_ns, device)]
    enter(home)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(control_path)
    listener.listen(8)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    wan = Wan(fds, shape)
    print("ready", flush=True)
    stdin = sys.stdin.fileno()
    while True:
        timeout = wan.send_due()
        readable, _, _ = select.select([fds[0], fds[1], listener, stdin], [], [], timeout)
        for r in readable:
            if r == stdin:
                if not os.read(stdin, 4096):
                    return  # the parent is gone: so is the WAN (its devices vanish with this process)
            elif r is listener:
                control(listener, wan)
            else:
                wan.receive(fds.index(r))


def probe(ns, device):
    try:
        os.close(open_tun(ns, device))
        return 0
    except OSError as err:
        print("cannot make a TUN device in a namespace: " + str(err))
        return 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        sys.exit(probe(sys.argv[2], sys.argv[3]))
    serve(sys.argv[1:])

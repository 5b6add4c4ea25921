#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile frames for an erdev port, each with the fate it must meet.

  wirefuzz.py --tx-ns NS --tx-dev DEV --dst MAC --count N [--seed S]
              [--encap qinq|dot1q] [--tpid TPID] [--mtu MTU]
              [--peering [STAG:]CTAG=IFNAME]... [--down IFNAME]...

Run where the erdev port is (its namespace); sends from DEV in namespace
NS, the far end of the port's cable, N random frames: runts, frames cut
inside a tag, no tag, 802.3 length frames, the port's TPID and others
(0x88a8, 0x9100), outer and inner VLAN IDs of every value and those of the
peerings, PCP and DEI bits, a third tag, sizes up to past the MTU. Each
frame's fate is worked out as the kernel must decide it (the core's
untagging, veth's MTU check, erdev's receive path) and counted. Prints
JSON: the frames sent, and per fate:

  IFNAME        delivered to that interface (rx_packets)
  IFNAME/drop   for that interface while it is down (rx_dropped)
  rx_unknown_stag, rx_unknown_ctag, rx_untagged, rx_bad_tpid,
  rx_malformed  the port counters
  core          dropped by the core before erdev (too short to untag)
  mtu           dropped by the sending veth (over the receiver's MTU)
  lost          dropped by the sending veth (the receiver's backlog full)

so that a test can compare every counter with what was sent.
"""

import argparse
import ctypes
import errno
import json
import os
import random
import socket
import struct
import sys

ETH_P_8021Q = 0x8100
ETH_P_8021AD = 0x88a8
VLAN_TPIDS = (ETH_P_8021Q, ETH_P_8021AD)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
        sys.exit("wirefuzz: setns: %s" % os.strerror(ctypes.get_errno()))
    os.close(fd)


class Port:
    def __init__(self, args):
        self.encap, self.tpid, self.mtu = args.encap, args.tpid, args.mtu
        self.peerings = {}
        for p in args.peering:
            key, ifname = p.split("=")
            tags = [int(x, 0) for x in key.split(":")]
            self.peerings[tuple(tags) if len(tags) > 1 else
                          (0, tags[0])] = ifname
        self.stags = {s for s, _ in self.peerings} - {0}
        self.down = set(args.down)

    def fate(self, frame):
        """What the receiving side must do with @frame."""
        if len(frame) > self.mtu + 14 + 4:
            return "mtu"                        # is_skb_forwardable()
        etype = struct.unpack_from(">H", frame, 12)[0]
        if etype not in VLAN_TPIDS:
            return "rx_untagged"
        # skb_vlan_untag(): the tag and the two bytes after it
        if len(frame) < 14 + 4 + 2:
            return "core"
        vid = struct.unpack_from(">H", frame, 14)[0] & 0xfff
        proto = struct.unpack_from(">H", frame, 16)[0]
        if etype != self.tpid:
            return "rx_bad_tpid"
        if self.encap == "dot1q":
            return self.deliver((0, vid))
        if vid not in self.stags:
            return "rx_unknown_stag"
        if proto != ETH_P_8021Q:
            return "rx_unknown_ctag"
        if len(frame) - 18 < 4 + 2:
            return "rx_malformed"
        ctag = struct.unpack_from(">H", frame, 18)[0] & 0xfff
        return self.deliver((vid, ctag))

    def deliver(self, key):
        ifname = self.peerings.get(key)
        if ifname is None:
            return "rx_unknown_ctag"
        return ifname + "/drop" if ifname in self.down else ifname


class Frames:
    def __init__(self, port, rnd, dst, src):
        self.port, self.rnd, self.dst, self.src = port, rnd, dst, src

    def vid(self, known):
        r = self.rnd
        if known and r.random() < 0.6:
            return r.choice(sorted(known))
        return r.choice([0, 1, 4094, 4095, r.randrange(4096)])

    def tci(self, vid):
        # PCP and DEI bits, set at random: erdev matches on the VID only
        return (self.rnd.randrange(16) << 12) | vid

    def tpid(self):
        r = self.rnd.random()
        if r < 0.75:
            return self.port.tpid
        return self.rnd.choice([ETH_P_8021Q, ETH_P_8021AD, 0x9100])

    def make(self):
        r = self.rnd
        dst = r.choice([self.dst, self.dst, b"\xff" * 6,
                        b"\x01\x00\x5e\x00\x00\x01", b"\x02" + bytes(5)])
        head = dst + self.src
        kind = r.random()
        tags = b""
        if kind < 0.1:
            # no tag: Ethernet II or an 802.3 length
            etype = r.choice([0x0800, 0x86dd, 0x0806, 46, 1500, 0x05ff])
            body = struct.pack(">H", etype)
        else:
            p = self.port
            outer = self.tpid()
            stags = p.stags if p.encap == "qinq" else \
                {c for _, c in p.peerings}
            stag = self.vid(stags)
            tags = struct.pack(">HH", outer, self.tci(stag))
            inner = r.random()
            if p.encap == "qinq" and inner < 0.8:
                ctags = {c for s, c in p.peerings if s == stag}
                itpid = r.choice([ETH_P_8021Q] * 4 + [ETH_P_8021AD, 0x9100])
                tags += struct.pack(">HH", itpid, self.tci(self.vid(ctags)))
                if r.random() < 0.1:
                    # a third tag
                    tags += struct.pack(">HH", ETH_P_8021Q,
                                        self.tci(self.vid(())))
            body = struct.pack(">H", r.choice([0x0800, 0x86dd, 46, 1500]))
        frame = head + tags + body
        size = r.random()
        if size < 0.15:
            # a runt, cut anywhere from the first tag on
            return no_raw_8023(frame[:r.randint(14, max(14, len(frame)))])
        mtu = self.port.mtu
        if size < 0.3:
            n = r.choice([mtu + 14, mtu + 18, mtu + 19, mtu + 22, 9000])
        else:
            n = r.randint(len(frame), 200)
        return no_raw_8023((frame + bytes(r.getrandbits(8) for _ in range(
            max(0, min(n, 9000) - len(frame)))))[:max(n, 14)])


def no_raw_8023(frame):
    """@frame, made never to be raw 802.3 once a tag is removed.

    After a tag, a length (< 0x600) followed by 0xffff makes the frame
    raw 802.3 (vlan_set_encap_proto()), a protocol with no handler: the
    core drops it and counts it in the rx_dropped of the interface it was
    delivered to, after erdev counted it in rx_packets. The lengths that
    follow a first, second and third tag are at 16, 20 and 24.
    """
    b = bytearray(frame)
    for i in (18, 22, 26):
        if b[i:i + 2] == b"\xff\xff":
            b[i] = 0xfe
    return bytes(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tx-ns", required=True)
    ap.add_argument("--tx-dev", required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--encap", choices=["qinq", "dot1q"], default="qinq")
    ap.add_argument("--tpid", type=lambda x: int(x, 0), default=ETH_P_8021Q)
    ap.add_argument("--mtu", type=int, default=1500)
    ap.add_argument("--peering", action="append", default=[])
    ap.add_argument("--down", action="append", default=[])
    args = ap.parse_args()
    if args.seed is None:
        args.seed = int.from_bytes(os.urandom(4), "little")
    port = Port(args)
    home = "/proc/self/ns/net"
    home_fd = os.open(home, os.O_RDONLY)
    setns("/run/netns/%s" % args.tx_ns)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((args.tx_dev, 0))
    # The device's own address, from the socket bound to it in tx_ns:
    # /sys/class/net shows the namespace that mounted it, not tx_ns.
    src = tx.getsockname()[4]
    os.close(home_fd)
    gen = Frames(port, random.Random(args.seed),
                 bytes.fromhex(args.dst.replace(":", "")), src)
    fates = {}
    for _ in range(args.count):
        frame = gen.make()
        fate = port.fate(frame)
        try:
            tx.send(frame)
        except OSError as e:
            # veth's NET_XMIT_DROP: over the MTU, or the receiver's
            # backlog full; neither counts as received
            if e.errno != errno.ENOBUFS:
                sys.exit("wirefuzz: send of %d bytes: %s" % (len(frame), e))
            if fate != "mtu":
                fate = "lost"
        fates[fate] = fates.get(fate, 0) + 1
    tx.close()
    print(json.dumps({"seed": args.seed, "sent": args.count,
                      "fates": fates}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

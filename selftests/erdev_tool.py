#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers for the erdev selftests that neither ercfg nor iproute2 cover.

  erdev_tool.py genl CMD KEY=VALUE...
      Send one raw request of the erdev generic netlink family, bypassing
      ercfg's own checks, so the kernel's policy and rules are what answers.
      CMD: circuit-new, circuit-set, circuit-del, peering-new,
      peering-set, peering-del.
      Keys: name, encap, tpid, stag, primary, secondary (device names or
      ifindexes), bandwidth, sku, billing, service-key (32 hex digits),
      circuit, type, ctag, dscp. Numbers may be given in hex (0x...), names may
      hold \\xNN escapes for any byte.
      Prints "OK", or "Error: MESSAGE" (the extack message, or the errno
      text if there is none) and exits 1.

  erdev_tool.py genl -
      The same for each line "CMD KEY=VALUE..." of standard input, one
      answer per line; exits 1 if any request failed.

  erdev_tool.py linkinfo IFNAME...
      Print the IFLA_LINKINFO of each IFNAME as one JSON object per line:
      kind, and the erdev IFLA_INFO_DATA attributes (circuit, peering,
      link, encap, tpid, stag, ctag) decoded.

  erdev_tool.py frames --tx-ns NS --tx-dev DEV --dst MAC [--src MAC]
                       [--tag TPID:TCI]... [--ethertype TYPE] [--len N]
                       [--count N] [--rx DEV:TYPE]... [--wait SECONDS]
      Run in the receiving namespace. Opens a packet socket on each --rx
      device for its EtherType, then enters network namespace --tx-ns and
      sends --count copies of one frame on --tx-dev: DST, SRC, the tags in
      order (outermost first, in-band), the EtherType if given, and --len
      bytes of payload 00 01 02... Prints one line: "sent N received M1
      M2..." (one count per --rx), then for each --rx the bytes 12 to 23
      of the first frame it got, in hex, or "-".

      Mind that a packet socket bound to a NIC and an EtherType sees the
      frames of that type the NIC's rx_handler passed on, and also those
      it delivered to an upper device (the core delivers to the original
      device's protocol handlers too); one bound to an upper device sees
      only what was delivered to it.

  erdev_tool.py frames -
      The same for each line of standard input (the options of one case,
      "#" starts a comment), one answer line per case, in one process.
"""

import argparse
import ctypes
import errno
import json
import os
import shlex
import socket
import struct
import sys
import time

NETLINK_ROUTE = 0
NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLMSG_ERROR = 0x2
NLMSG_DONE = 0x3
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

# include/uapi/linux/erdev.h
ERDEV_CMDS = {
    "circuit-new": 1, "circuit-get": 2, "circuit-set": 3, "circuit-del": 4,
    "peering-new": 5, "peering-get": 6, "peering-del": 7,
    "peering-set": 15,
}
ERDEV_A_CIRCUIT = 1
ERDEV_A_PEERING = 2
CIRCUIT_ATTRS = {
    "name": (1, "str"), "encap": (2, "u32"), "tpid": (3, "be16"),
    "stag": (4, "u16"), "primary": (5, "ifindex"),
    "secondary": (6, "ifindex"), "bandwidth": (7, "u32"), "sku": (8, "u32"),
    "billing": (9, "u32"), "service-key": (10, "hex"),
}
PEERING_ATTRS = {"circuit": (1, "str"), "type": (2, "u32"), "ctag": (3, "u16"),
                 "dscp": (9, "u32")}
ENUMS = {
    "encap": {"qinq": 0, "dot1q": 1},
    "sku": {"local": 0, "standard": 1, "premium": 2},
    "billing": {"metered": 0, "unlimited": 1},
    "type": {"private": 0, "microsoft": 1},
    "dscp": {"keep": 0, "conform": 1},
}

# include/uapi/linux/if_erdev.h
IFLA_ERDEV = {1: ("circuit", "str"), 2: ("peering", "u32"), 3: ("link", "u32"),
              4: ("encap", "u32"), 5: ("tpid", "be16"), 6: ("stag", "u16"),
              7: ("ctag", "u16")}
IFLA_ERDEV_NAMES = {"peering": ["private", "microsoft"],
                    "link": ["primary", "secondary"],
                    "encap": ["qinq", "dot1q"]}


def nla(atype, data):
    hdr = struct.pack("=HH", 4 + len(data), atype)
    return hdr + data + b"\0" * ((4 - len(data) % 4) % 4)


def parse_nla(data):
    attrs = {}
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        attrs[atype & 0x3fff] = data[off + 4:off + alen]
        off += (alen + 3) & ~3
    return attrs


class Netlink:
    def __init__(self, proto):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, mtype, flags, payload):
        """Send one request; return (error, extack message, replies)."""
        self.seq += 1
        msg = struct.pack("=IHHII", 16 + len(payload), mtype,
                          flags | NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sock.send(msg + payload)
        replies = []
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off + 16 <= len(data):
                mlen, rtype, rflags, seq, _ = struct.unpack_from("=IHHII",
                                                                 data, off)
                body = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if seq != self.seq:
                    continue
                if rtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", body)[0]
                    msg = None
                    if rflags & NLM_F_ACK_TLVS:
                        # the request header, with its payload unless capped
                        olen = struct.unpack_from("=I", body, 4)[0]
                        skip = 4 + (16 if rflags & NLM_F_CAPPED else olen)
                        tlvs = parse_nla(body[(skip + 3) & ~3:])
                        if NLMSGERR_ATTR_MSG in tlvs:
                            msg = tlvs[NLMSGERR_ATTR_MSG].rstrip(b"\0")
                            msg = msg.decode()
                    return err, msg, replies
                if rtype == NLMSG_DONE:
                    return 0, None, replies
                replies.append((rtype, body))


def genl_family(nl, name):
    payload = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
    payload += nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    err, msg, replies = nl.request(GENL_ID_CTRL, 0, payload)
    if err or not replies:
        sys.exit("erdev_tool: no generic netlink family %s" % name)
    attrs = parse_nla(replies[0][1][4:])
    return struct.unpack("=H", attrs[CTRL_ATTR_FAMILY_ID][:2])[0]


def ifindex(value):
    if value.isdigit():
        return int(value)
    return socket.if_nametoindex(value)


def encode(key, kind, value):
    if key in ENUMS and value in ENUMS[key]:
        value = str(ENUMS[key][value])
    if kind == "str":
        # \xNN escapes give any byte; other text is passed as it is
        raw = value.encode("utf-8", "surrogateescape")
        return raw.decode("unicode_escape").encode("latin-1") + b"\0"
    if kind == "hex":
        return bytes.fromhex(value.replace("-", ""))
    if kind == "ifindex":
        return struct.pack("=I", ifindex(value))
    num = int(value, 0)
    return struct.pack({"u32": "=I", "u16": "=H", "be16": ">H"}[kind], num)


def genl_request(nl, family, cmdname, attrs):
    cmd = ERDEV_CMDS[cmdname]
    table, outer = ((PEERING_ATTRS, ERDEV_A_PEERING)
                    if cmdname.startswith("peering") else
                    (CIRCUIT_ATTRS, ERDEV_A_CIRCUIT))
    inner = b""
    for kv in attrs:
        key, value = kv.split("=", 1)
        atype, kind = table[key]
        inner += nla(atype, encode(key, kind, value))
    payload = struct.pack("=BBH", cmd, 1, 0) + nla(outer | NLA_F_NESTED, inner)
    err, msg, _ = nl.request(family, 0, payload)
    if not err:
        return "OK"
    return "Error: %s" % (msg if msg else os.strerror(err))


def cmd_genl(args):
    nl = Netlink(NETLINK_GENERIC)
    family = genl_family(nl, "erdev")
    if args.cmd == "-":
        failed = False
        for line in sys.stdin:
            words = line.split()
            if words:
                out = genl_request(nl, family, words[0], words[1:])
                failed |= out != "OK"
                print(out)
        return 1 if failed else 0
    out = genl_request(nl, family, args.cmd, args.attrs)
    print(out)
    return 0 if out == "OK" else 1


def cmd_linkinfo(args):
    rc = 0
    for ifname in args.ifname:
        rc |= linkinfo(ifname)
    return rc


def linkinfo(ifname):
    RTM_GETLINK = 18
    IFLA_IFNAME = 3
    IFLA_LINKINFO = 18
    IFLA_INFO_KIND = 1
    IFLA_INFO_DATA = 2
    nl = Netlink(NETLINK_ROUTE)
    payload = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
    payload += nla(IFLA_IFNAME, ifname.encode() + b"\0")
    err, msg, replies = nl.request(RTM_GETLINK, 0, payload)
    if err:
        print("Error: %s" % (msg if msg else os.strerror(err)))
        return 1
    attrs = parse_nla(replies[0][1][16:])
    out = {"kind": None, "data": None}
    if IFLA_LINKINFO in attrs:
        info = parse_nla(attrs[IFLA_LINKINFO])
        if IFLA_INFO_KIND in info:
            out["kind"] = info[IFLA_INFO_KIND].rstrip(b"\0").decode()
        if IFLA_INFO_DATA in info:
            data = {}
            for atype, raw in parse_nla(info[IFLA_INFO_DATA]).items():
                key, kind = IFLA_ERDEV.get(atype, (str(atype), "hex"))
                if kind == "str":
                    val = raw.rstrip(b"\0").decode()
                elif kind == "u32":
                    val = struct.unpack("=I", raw[:4])[0]
                    names = IFLA_ERDEV_NAMES.get(key, [])
                    val = names[val] if val < len(names) else val
                elif kind == "u16":
                    val = struct.unpack("=H", raw[:2])[0]
                elif kind == "be16":
                    val = "0x%04x" % struct.unpack(">H", raw[:2])[0]
                else:
                    val = raw.hex()
                data[key] = val
            out["data"] = data
    print(json.dumps(out, sort_keys=True))
    return 0


def setns(fd):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, 0x40000000) != 0:	# CLONE_NEWNET
        e = ctypes.get_errno()
        sys.exit("erdev_tool: setns: %s" % os.strerror(e))


def mac(value):
    return bytes.fromhex(value.replace(":", ""))


def frames_parser():
    f = argparse.ArgumentParser(prog="erdev_tool.py frames")
    f.add_argument("--tx-ns")
    f.add_argument("--tx-dev", required=True)
    f.add_argument("--dst", required=True)
    f.add_argument("--src")
    f.add_argument("--tag", action="append", default=[])
    f.add_argument("--ethertype")
    f.add_argument("--len", type=int, default=46)
    f.add_argument("--count", type=int, default=1)
    f.add_argument("--rx", action="append", default=[])
    f.add_argument("--wait", type=float, default=1.0)
    return f


def frames_case(args, home):
    """One case; returns its answer line. Starts and ends in netns home."""
    rx = []
    for spec in args.rx:
        dev, proto = spec.rsplit(":", 1)
        proto = int(proto, 0)
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                             socket.htons(proto))
        sock.bind((dev, proto))
        sock.setblocking(False)
        rx.append((sock, []))
    if args.tx_ns:
        fd = os.open("/run/netns/" + args.tx_ns, os.O_RDONLY)
        setns(fd)
        os.close(fd)
    try:
        tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        tx.bind((args.tx_dev, 0))
        src = args.src
        if not src:
            src = open("/sys/class/net/%s/address" % args.tx_dev).read()
    finally:
        setns(home)
    frame = mac(args.dst) + mac(src.strip())
    for tag in args.tag:
        tpid, tci = tag.split(":")
        frame += struct.pack(">HH", int(tpid, 0), int(tci, 0))
    if args.ethertype is not None:
        frame += struct.pack(">H", int(args.ethertype, 0))
    frame += bytes((i & 0xff for i in range(args.len)))
    for _ in range(args.count):
        tx.send(frame)
    tx.close()
    # veth delivers through the backlog: wait until the sockets are quiet
    deadline = time.monotonic() + args.wait
    while rx and time.monotonic() < deadline:
        got = False
        for sock, frames in rx:
            try:
                frames.append(sock.recv(65536))
                got = True
            except BlockingIOError:
                pass
        if got:
            deadline = max(deadline, time.monotonic() + 0.3)
        else:
            time.sleep(0.02)
    out = "sent %d received%s" % (args.count,
                                  "".join(" %d" % len(f) for _, f in rx))
    for sock, frames in rx:
        out += " " + (frames[0][12:24].hex() if frames else "-")
        sock.close()
    return out


def cmd_frames(argv):
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    parser = frames_parser()
    if argv == ["-"]:
        for line in sys.stdin:
            words = shlex.split(line, comments=True)
            if words:
                print(frames_case(parser.parse_args(words), home))
        return 0
    print(frames_case(parser.parse_args(argv), home))
    return 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "frames":
        return cmd_frames(sys.argv[2:])
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    g = sub.add_parser("genl")
    g.add_argument("cmd", choices=sorted(ERDEV_CMDS) + ["-"])
    g.add_argument("attrs", nargs="*")
    li = sub.add_parser("linkinfo")
    li.add_argument("ifname", nargs="+")
    args = ap.parse_args()
    return {"genl": cmd_genl, "linkinfo": cmd_linkinfo}[args.what](args)


if __name__ == "__main__":
    sys.exit(main())

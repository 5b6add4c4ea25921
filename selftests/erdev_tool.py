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
      text if there is none) and exits 1. The commands' numbers and the
      keys' attributes, types and enum names are read from the spec,
      Documentation/netlink/specs/erdev.yaml (erdev_nl.py, which
      tools/fuzz/nlfuzz.py uses too): genl needs PyYAML (python3-yaml).

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

from erdev_nl import (NETLINK_GENERIC, NETLINK_ROUTE, NLA_F_NESTED,
                      NLMSGERR_ATTR_MSG, Netlink, Spec, genl_family, nla,
                      parse_nla)

# include/uapi/linux/if_erdev.h
IFLA_ERDEV = {1: ("circuit", "str"), 2: ("peering", "u32"), 3: ("link", "u32"),
              4: ("encap", "u32"), 5: ("tpid", "be16"), 6: ("stag", "u16"),
              7: ("ctag", "u16")}
IFLA_ERDEV_NAMES = {"peering": ["private", "microsoft"],
                    "link": ["primary", "secondary"],
                    "encap": ["qinq", "dot1q"]}

# The commands of "genl": operations of the spec on a circuit or a peering
# (the first word of the name), whose numbers, attributes, types and enum
# values are the spec's. A command's keys are the attributes of that nest
# but the nests, by their spec names (primary and secondary for
# primary-ifindex and secondary-ifindex).
ERDEV_OPS = ("circuit-new", "circuit-get", "circuit-set", "circuit-del",
             "peering-new", "peering-get", "peering-del", "peering-set")


def genl_tables(spec):
    """{command: (cmd, outer type, {key: Attr})} of ERDEV_OPS."""
    top = spec.sets[spec.ops[ERDEV_OPS[0]][1]["attribute-set"]]
    out = {}
    for name in ERDEV_OPS:
        obj = top[name.split("-")[0]]
        keys = {a.name[:-len("-ifindex")] if a.name.endswith("-ifindex")
                else a.name: a
                for a in spec.sets[obj.nested].values() if a.type != "nest"}
        out[name] = (spec.ops[name][0], obj.id, keys)
    return out


def errmsg(err, ext):
    """The extack message of an answer, or the errno text if none."""
    if NLMSGERR_ATTR_MSG in ext:
        return ext[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
    return os.strerror(err)


def ifindex(value):
    if value.isdigit():
        return int(value)
    return socket.if_nametoindex(value)


def encode(spec, attr, value):
    if attr.enum and value in spec.enums[attr.enum]:
        value = str(spec.enums[attr.enum].index(value))
    if attr.type == "string":
        # \xNN escapes give any byte; other text is passed as it is
        raw = value.encode("utf-8", "surrogateescape")
        return raw.decode("unicode_escape").encode("latin-1") + b"\0"
    if attr.type == "binary":
        return bytes.fromhex(value.replace("-", ""))
    if attr.name.endswith("ifindex"):
        return struct.pack(attr.fmt(), ifindex(value))
    return struct.pack(attr.fmt(), int(value, 0))


def genl_request(nl, family, spec, tables, cmdname, attrs):
    cmd, outer, table = tables[cmdname]
    inner = b""
    for kv in attrs:
        key, value = kv.split("=", 1)
        inner += nla(table[key].id, encode(spec, table[key], value))
    payload = struct.pack("=BBH", cmd, 1, 0) + nla(outer | NLA_F_NESTED, inner)
    err, ext, _ = nl.request(family, 0, payload)
    if not err:
        return "OK"
    return "Error: %s" % errmsg(err, ext)


def cmd_genl(args):
    spec = Spec()
    tables = genl_tables(spec)
    nl = Netlink(NETLINK_GENERIC)
    family = genl_family(nl, spec.family)
    if family is None:
        sys.exit("erdev_tool: no generic netlink family %s" % spec.family)
    if args.cmd == "-":
        failed = False
        for line in sys.stdin:
            words = line.split()
            if words:
                out = genl_request(nl, family, spec, tables, words[0],
                                   words[1:])
                failed |= out != "OK"
                print(out)
        return 1 if failed else 0
    out = genl_request(nl, family, spec, tables, args.cmd, args.attrs)
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
    err, ext, replies = nl.request(RTM_GETLINK, 0, payload)
    if err:
        print("Error: %s" % errmsg(err, ext))
        return 1
    attrs = dict(parse_nla(replies[0][1][16:]))
    out = {"kind": None, "data": None}
    if IFLA_LINKINFO in attrs:
        info = dict(parse_nla(attrs[IFLA_LINKINFO]))
        if IFLA_INFO_KIND in info:
            out["kind"] = info[IFLA_INFO_KIND].rstrip(b"\0").decode()
        if IFLA_INFO_DATA in info:
            data = {}
            for atype, raw in dict(parse_nla(info[IFLA_INFO_DATA])).items():
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
            # The device's own address, from the socket bound to it in
            # its namespace: /sys/class/net shows the namespace that
            # mounted it, not tx_ns.
            src = ":".join("%02x" % b for b in tx.getsockname()[4])
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
    g.add_argument("cmd", choices=sorted(ERDEV_OPS) + ["-"])
    g.add_argument("attrs", nargs="*")
    li = sub.add_parser("linkinfo")
    li.add_argument("ifname", nargs="+")
    args = ap.parse_args()
    return {"genl": cmd_genl, "linkinfo": cmd_linkinfo}[args.what](args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""erdev's generic netlink family under a fuzzer driven by its YAML spec.

  nlfuzz.py fuzz [--requests N] [--seed S] [--nics IF,...]
                 [--foreign IFINDEX,...] [--report FILE]
      Send N requests (default 10000) of every operation of the spec, most
      of them valid for the state the fuzzer keeps, with one or more
      mutations: boundary and out-of-range values, wrong types and
      lengths, truncated, duplicated, unknown and missing attributes,
      wrong nesting and flags, empty and overlong strings, ifindexes of
      NICs of another namespace (--foreign) and of non-Ethernet and erdev
      devices. Interleaves dumps with changes, and rtnetlink changes on
      the erdev interfaces (up, down, MTU, MAC, delete).

  nlfuzz.py faults [--nics IF,...] [--stride K] [--seed S] [--report FILE]
      For each mutating request on a prepared state, fail its 1st, 2nd, ...
      fault-injection point (the task's /proc/thread-self/fail-nth, with
      failslab taking sleeping allocations too) until it succeeds; with
      --stride K, only every K-th from a random one of the first K.

After every request, refused or accepted, the fuzzer dumps the family's
state and lists the namespace's erdev interfaces, and compares both with
its model: a refused request must change nothing and carry an extack
message (or attribute offset), an accepted one must have done exactly
what it asked and nothing the spec's checks forbid. The first difference
ends the run: the last requests are printed in hex, to replay.

The spec is read at run time: a new attribute or operation is fuzzed the
day it is added. Needs PyYAML (python3-yaml). Run it as root (or as root
of a user namespace) in a network namespace of its own, with --nics
naming the Ethernet devices it may use.
"""

import argparse
import errno
import ipaddress
import json
import os
import random
import socket
import struct
import sys
import time
import traceback

# The netlink code and the spec's reader, shared with the selftests'
# erdev_tool.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "selftests"))
from erdev_nl import (  # noqa: E402
    INT_TYPES, NETLINK_GENERIC, NETLINK_ROUTE, NLA_F_NESTED, NLA_TYPE_MASK,
    NLM_F_DUMP, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG,
    NLMSGERR_ATTR_OFFS, SPEC, Failure, Netlink, Spec, decode, genl_family,
    nla, render, to_tree)

RTM_NEWLINK = 16
RTM_DELLINK = 17
IFF_UP = 0x1
IFLA_ADDRESS = 1
IFLA_MTU = 4

# Errors the netlink and generic netlink core return without an extack
# message, before any erdev code runs: an unknown command, a missing
# permission.
CORE_ERRORS = {errno.EOPNOTSUPP, errno.EPERM}


# --- the spec's checks ------------------------------------------------------

def in_checks(attr, value):
    """Does @value pass the spec's checks of @attr (as accepted)?"""
    c = attr.checks
    if attr.type in INT_TYPES:
        if "min" in c and value < c["min"]:
            return False
        if "max" in c and value > c["max"]:
            return False
        return attr.enum is None or value < len(SPEC_ENUMS[attr.enum])
    if attr.type == "string":
        return "max-len" not in c or len(value) <= c["max-len"]
    if attr.type == "binary":
        return "exact-len" not in c or len(value) == c["exact-len"]
    return True


SPEC_ENUMS = {}


# --- the model --------------------------------------------------------------

CIRCUIT_DEFAULTS = {"encap": 0, "tpid": 0x8100, "sku": 1, "billing": 0}
CIRCUIT_KEPT = ("name", "encap", "tpid", "stag", "primary-ifindex",
                "secondary-ifindex", "bandwidth", "sku", "billing",
                "service-key")
CIRCUIT_SETTABLE = ("bandwidth", "sku", "billing")
SUBNETS = ("ipv4-primary", "ipv4-secondary", "ipv6-primary",
           "ipv6-secondary")
PEERING_SUFFIX = ("p", "m")
# dscp by peering type when the request names none: keep, conform
DSCP_DEFAULT = (0, 1)


class Model:
    """What the fuzzer expects the kernel to hold."""

    def __init__(self):
        self.circuits = {}
        self.gone = set()          # interfaces deleted with rtnetlink

    def copy(self):
        m = Model()
        m.circuits = json.loads(json.dumps(self.circuits))
        m.gone = set(self.gone)
        return m

    def ifnames(self):
        names = set()
        for name, c in self.circuits.items():
            links = 2 if c.get("secondary-ifindex") else 1
            for ptype in c["peerings"]:
                for role in range(links):
                    names.add("%s.%s%d" % (name, PEERING_SUFFIX[int(ptype)],
                                           role))
        return names - self.gone

    def forget_ifnames(self, prefix):
        self.gone = {n for n in self.gone if not n.startswith(prefix)}

    def apply(self, op, values):
        """Apply an accepted request @values (decoded) of @op."""
        c = values.get("circuit", {})
        p = values.get("peering", {})
        if op == "circuit-new":
            m = dict(CIRCUIT_DEFAULTS)
            m.update({k: c[k] for k in CIRCUIT_KEPT if k in c})
            if "service-key" in m:
                m["service-key"] = m["service-key"].hex()
            m["peerings"] = {}
            self.circuits[c["name"]] = m
            self.forget_ifnames(c["name"] + ".")
        elif op == "circuit-set":
            self.circuits[c["name"]].update(
                {k: c[k] for k in CIRCUIT_SETTABLE if k in c})
        elif op == "circuit-del":
            del self.circuits[c["name"]]
            self.forget_ifnames(c["name"] + ".")
        elif op == "peering-new":
            m = {"ctag": p["ctag"],
                 "dscp": p.get("dscp", DSCP_DEFAULT[p["type"]])}
            for s in SUBNETS:
                if s in p:
                    m[s] = [p[s]["addr"].hex(), p[s]["prefixlen"]]
            self.circuits[p["circuit"]]["peerings"][str(p["type"])] = m
            self.forget_ifnames("%s.%s" % (p["circuit"],
                                           PEERING_SUFFIX[p["type"]]))
        elif op == "peering-set":
            if "dscp" in p:
                self.circuits[p["circuit"]]["peerings"][str(p["type"])][
                    "dscp"] = p["dscp"]
        elif op == "peering-del":
            del self.circuits[p["circuit"]]["peerings"][str(p["type"])]
            self.forget_ifnames("%s.%s" % (p["circuit"],
                                           PEERING_SUFFIX[p["type"]]))


def circuit_dump(spec, nl, family):
    """The circuit-get dump's messages, as they came."""
    seq = nl.send(family, NLM_F_DUMP,
                  struct.pack("=BBH", spec.ops["circuit-get"][0], 1, 0))
    err, ext, replies = nl.recv(seq)
    if err:
        raise Failure("circuit-get dump failed: %s" % os.strerror(err))
    return [body for _, body in replies]


def kernel_model(spec, bodies):
    """The model of the state the kernel's circuit-get dump shows."""
    m = Model()
    for body in bodies:
        top = decode(spec, "erdev", body[4:])
        c = top["circuit"]
        mc = {k: c[k] for k in CIRCUIT_KEPT if k in c}
        if "service-key" in mc:
            mc["service-key"] = mc["service-key"].hex()
        mc["peerings"] = {}
        for p in c.get("peering", []):
            mp = {"ctag": p["ctag"], "dscp": p.get("dscp")}
            for s in SUBNETS:
                if s in p:
                    mp[s] = [p[s]["addr"].hex(), p[s]["prefixlen"]]
            mc["peerings"][str(p["type"])] = mp
        if mc["name"] in m.circuits:
            raise Failure("the dump has circuit %s twice" % mc["name"])
        m.circuits[mc["name"]] = mc
    return m


def erdev_ifnames():
    """The erdev interfaces of the namespace, by their sysfs group."""
    return {n for n in os.listdir("/sys/class/net")
            if os.path.isdir("/sys/class/net/%s/erdev" % n)}


def compare(expected, got, names, what):
    """Does the kernel's state (@got, the erdev interfaces @names) match
    the model @expected?"""
    if expected.circuits != got.circuits:
        raise Failure("%s: the kernel holds\n  %s\nthe model\n  %s"
                      % (what, json.dumps(got.circuits, sort_keys=True),
                         json.dumps(expected.circuits, sort_keys=True)))
    if expected.ifnames() != names:
        raise Failure("%s: erdev interfaces %s, the model %s"
                      % (what, sorted(names), sorted(expected.ifnames())))


# --- request generation -----------------------------------------------------

NAME_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
NAME_REST = NAME_FIRST + "0123456789_-"


class Gen:
    """Requests valid for the model, and mutations of them."""

    def __init__(self, spec, rnd, model, nics, foreign, hostile):
        self.spec, self.rnd, self.model = spec, rnd, model
        self.nics, self.foreign, self.hostile = nics, foreign, hostile

    def name(self, existing=0.3):
        """A circuit name: one the model holds with chance @existing."""
        r = self.rnd
        if self.model.circuits and r.random() < existing:
            return r.choice(sorted(self.model.circuits))
        n = r.randint(1, self.spec.sets["circuit"]["name"].checks.get(
            "max-len", 12))
        return r.choice(NAME_FIRST) + "".join(
            r.choice(NAME_REST) for _ in range(n - 1))

    def ifindex(self):
        r = self.rnd
        x = r.random()
        if x < 0.85 or not (self.foreign or self.hostile):
            return r.choice(self.nics)
        if x < 0.92 and self.foreign:
            return r.choice(self.foreign)
        return r.choice(self.hostile + erdev_ifindexes() or [1])

    def vid(self, used=()):
        if used and self.rnd.random() < 0.2:
            return self.rnd.choice(sorted(used))
        return self.rnd.randint(1, 4094)

    def subnet(self, ptype, v6, prefix):
        r = self.rnd
        if v6:
            base = (0x2001_0db8 << 96) if ptype == 0 else (0x2a01_0111 << 96)
            addr = base | (r.getrandbits(40) << 8)
            plen = 126 if prefix else r.choice([64, 125, 126, 127])
            return {"addr": ipaddress.IPv6Address(addr).packed,
                    "prefixlen": plen}
        base = (10 << 24) if ptype == 0 else (20 << 24)
        addr = base | (r.getrandbits(22) << 2)
        plen = 30 if prefix else r.choice([0, 24, 29, 30, 31, 32, 33])
        return {"addr": ipaddress.IPv4Address(addr).packed,
                "prefixlen": plen}

    def circuit(self, op):
        r = self.rnd
        c = {"name": self.name(0.15 if op == "circuit-new" else 0.85)}
        if op == "circuit-new":
            c["encap"] = 1 if r.random() < 0.2 else 0
            if r.random() < 0.3:
                c["tpid"] = r.choice([0x8100, 0x88a8])
            if c["encap"] == 0 or r.random() < 0.05:
                c["stag"] = self.vid({x.get("stag") for x in
                                      self.model.circuits.values()} - {None})
            c["primary-ifindex"] = self.ifindex()
            if r.random() < 0.4:
                c["secondary-ifindex"] = self.ifindex()
        if op in ("circuit-new", "circuit-set"):
            for k in CIRCUIT_SETTABLE:
                if r.random() < 0.5:
                    attr = self.spec.sets["circuit"][k]
                    n = len(SPEC_ENUMS[attr.enum]) if attr.enum else 100000
                    c[k] = r.randrange(n) if attr.enum else r.randint(1, n)
        if op == "circuit-new" and r.random() < 0.3:
            c["service-key"] = bytes(r.getrandbits(8) for _ in range(16))
        return {"circuit": c}

    def peering(self, op):
        r = self.rnd
        p = {"circuit": self.name(0.9), "type": r.randrange(2)}
        if op == "peering-new":
            circuit = self.model.circuits.get(p["circuit"], {})
            p["ctag"] = self.vid({x["ctag"] for x in
                                  circuit.get("peerings", {}).values()})
            for s in SUBNETS:
                if r.random() < 0.5:
                    p[s] = self.subnet(p["type"], s.startswith("ipv6"),
                                       r.random() < 0.9)
        # conform is for microsoft peering (1) only; now and then asked of
        # private peering, to be refused
        if op in ("peering-new", "peering-set") and \
                r.random() < (0.3 if op == "peering-new" else 0.9):
            p["dscp"] = r.randrange(2) if p["type"] == 1 or \
                r.random() < 0.1 else 0
        return {"peering": p}

    def request(self, name):
        """A request of op @name, valid for the model as far as the
        generator knows."""
        if name.startswith("peering"):
            return self.peering(name)
        if name.startswith("circuit") or name.startswith("stats"):
            return self.circuit(name)
        return {}

    # mutations, on the tree of attribute nodes

    def nodes(self, tree, out=None):
        """(parent, node) of every node of @tree."""
        out = [] if out is None else out
        for node in tree:
            out.append((tree, node))
            if isinstance(node[1], list):
                self.nodes(node[1], out)
        return out

    def boundary(self, attr):
        r = self.rnd
        if attr is None or attr.type not in INT_TYPES:
            return r.choice([0, 1, 0xff, 0xffff, 0xffffffff])
        c = attr.checks
        cand = [0, 1, attr.maxval(), attr.maxval() - 1]
        for k in ("min", "max"):
            if k in c:
                cand += [c[k] - 1, c[k], c[k] + 1]
        if attr.enum:
            n = len(SPEC_ENUMS[attr.enum])
            cand += [n - 1, n, n + 1]
        return r.choice(cand) & attr.maxval()

    def mutate(self, tree, aset):
        r = self.rnd
        nodes = self.nodes(tree)
        kind = r.randrange(12)
        if not nodes or kind == 0:
            # an unknown attribute, at the top or inside a nest
            target = tree if not nodes or r.random() < 0.5 else \
                r.choice([n[1] for _, n in nodes
                          if isinstance(n[1], list)] or [tree])
            target.append([r.choice([0, 12, 13, 31, 0x3fff]),
                           bytes(r.getrandbits(8)
                                 for _ in range(r.choice([0, 1, 4, 8])))])
            return "unknown attribute"
        parent, node = r.choice(nodes)
        attr = self.attr_of(tree, node, aset)
        if kind == 1:
            parent.remove(node)
            return "missing %s" % (attr.name if attr else node[0])
        if kind == 2:
            parent.append(json_copy(node))
            return "duplicate %s" % (attr.name if attr else node[0])
        if kind == 3:
            node[1] = bytes(r.getrandbits(8)
                            for _ in range(r.choice([0, 1, 2, 3, 5, 7, 16,
                                                     17, 64, 300])))
            node[0] &= ~NLA_F_NESTED
            return "random payload of %d bytes" % len(node[1])
        if kind == 4 and not isinstance(node[1], list):
            node[1] = node[1][:r.randrange(len(node[1]) + 1)]
            return "truncated %s" % (attr.name if attr else node[0])
        if kind == 5:
            node[0] ^= NLA_F_NESTED
            return "NLA_F_NESTED flipped"
        if kind == 6 and attr is not None and attr.type in INT_TYPES:
            v = self.boundary(attr)
            node[1] = struct.pack(attr.fmt(), v)
            return "%s=%d" % (attr.name, v)
        if kind == 7 and attr is not None and attr.type == "string":
            n = r.choice([0, 1, 11, 12, 13, 15, 16, 255, 1000])
            s = bytes(r.choice(b"aZ09_-.:/ \x01\xff") for _ in range(n))
            node[1] = s + (b"" if r.random() < 0.2 else b"\0")
            return "%s of %d bytes" % (attr.name, n)
        if kind == 8:
            # wrong nesting: move the node into another nest or a level up
            nests = [n for _, n in nodes
                     if isinstance(n[1], list) and n is not node and
                     not (isinstance(node[1], list) and
                          contains(node[1], n))]
            parent.remove(node)
            (r.choice(nests)[1] if nests else tree).append(node)
            return "moved %s" % (attr.name if attr else node[0])
        if kind == 9 and not isinstance(node[1], list):
            # an attribute header whose length overruns or underruns
            node.append(r.choice([0, 1, 3, len(node[1]) + 5, 0xffff]))
            return "length %d" % node[2]
        if kind == 10 and attr is not None and attr.type in INT_TYPES:
            node[1] = struct.pack("=Q", r.getrandbits(64))[:r.choice(
                [1, 2, 4, 8])]
            return "%s with %d bytes" % (attr.name, len(node[1]))
        if kind == 11 and attr is not None and "ifindex" in attr.name:
            v = r.choice([0, 1, 0xffffffff] + self.foreign +
                         self.hostile + erdev_ifindexes())
            node[1] = struct.pack("=I", v)
            return "%s=%d" % (attr.name, v)
        node[1] = b""
        node[0] &= ~NLA_F_NESTED
        return "empty %s" % (attr.name if attr else node[0])

    def attr_of(self, tree, node, aset):
        """The spec attribute of @node, found by walking from the top."""
        def walk(nodes, cur):
            for n in nodes:
                a = self.spec.attr_by_id(cur, n[0] & NLA_TYPE_MASK) \
                    if cur else None
                if n is node:
                    return a
                if isinstance(n[1], list):
                    found = walk(n[1], a.nested if a and a.nested else None)
                    if found is not None or contains(n[1], node):
                        return found
            return None
        return walk(tree, aset)


def contains(nodes, node):
    for n in nodes:
        if n is node or (isinstance(n[1], list) and contains(n[1], node)):
            return True
    return False


def json_copy(node):
    if isinstance(node[1], list):
        return [node[0], [json_copy(n) for n in node[1]]] + node[2:]
    return list(node)


def erdev_ifindexes():
    return [ifindex_of(n) for n in erdev_ifnames()]


def ifindex_of(name):
    with open("/sys/class/net/%s/ifindex" % name) as f:
        return int(f.read())


def rtnl_link_msg(index, what, value=None):
    """(type, payload) of an rtnetlink request on interface @index: up,
    down, mtu @value, mac @value (bytes) or del."""
    attrs, change, flags, mtype = b"", 0, 0, RTM_NEWLINK
    if what in ("up", "down"):
        change, flags = IFF_UP, IFF_UP if what == "up" else 0
    elif what == "mtu":
        attrs = nla(IFLA_MTU, struct.pack("=I", value))
    elif what == "mac":
        attrs = nla(IFLA_ADDRESS, value)
    else:
        mtype = RTM_DELLINK
    return mtype, struct.pack("=BxHiII", socket.AF_UNSPEC, 0, index, flags,
                              change) + attrs


# --- the fuzzer -------------------------------------------------------------

class Fuzzer:
    def __init__(self, args):
        self.spec = Spec(args.spec)
        SPEC_ENUMS.update(self.spec.enums)
        self.rnd = random.Random(args.seed)
        self.nl = Netlink(NETLINK_GENERIC)
        self.dump_nl = Netlink(NETLINK_GENERIC, rcvbuf=4096)
        self.rtnl = Netlink(NETLINK_ROUTE)
        self.family = genl_family(self.nl, self.spec.family)
        if self.family is None:
            sys.exit("nlfuzz: no generic netlink family %s" %
                     self.spec.family)
        self.model = Model()
        self.nics = [ifindex_of(n) for n in args.nics.split(",") if n]
        self.foreign = [int(x) for x in args.foreign.split(",") if x]
        self.hostile = [ifindex_of(n) for n in args.hostile.split(",") if n]
        self.gen = Gen(self.spec, self.rnd, self.model, self.nics,
                       self.foreign, self.hostile)
        self.ops = list(self.spec.requests())
        self.history = []
        self.stats = {}
        self.logf = open(args.log, "w") if args.log else None
        self.seconds = {"request": 0.0, "check": 0.0}
        self.last = None           # the last dump that matched the model
        self.stride = args.stride

    def log(self, name, mutation, err, ext):
        if self.logf:
            msg = ext.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0")
            self.logf.write("%s (%s): %s %s\n" % (
                name, mutation, errno.errorcode.get(err, err) if err
                else "ok", msg.decode("latin-1")))

    def count(self, op, outcome):
        s = self.stats.setdefault(op, {"sent": 0, "accepted": 0,
                                       "refused": 0})
        s["sent"] += 1
        s[outcome] += 1

    def check(self, what, full=True):
        """Compare the kernel's state with the model.

        Not @full (after a refused request, which must have changed
        nothing): a dump the same, byte for byte, as the last one that
        matched the model, and as many interfaces as then, is enough;
        anything else is compared in full."""
        t = time.time()
        bodies = circuit_dump(self.spec, self.nl, self.family)
        count = len(os.listdir("/sys/class/net"))
        if full or self.last != (bodies, count):
            compare(self.model, kernel_model(self.spec, bodies),
                    erdev_ifnames(), what)
            self.last = (bodies, count)
        self.seconds["check"] += time.time() - t

    def genl(self, name, cmd, aset, dump, tree, flags=0):
        payload = struct.pack("=BBH", cmd, 1, 0) + render(tree)
        self.history.append((name, payload))
        del self.history[:-20]
        t = time.time()
        try:
            return self.nl.request(self.family,
                                   flags | (NLM_F_DUMP if dump else 0),
                                   payload)
        finally:
            self.seconds["request"] += time.time() - t

    def judge_refusal(self, name, err, ext, mutation, fault=False):
        if err in CORE_ERRORS:
            return
        # No message for running out of memory, as in the rest of netdev.
        if fault and err in (errno.ENOMEM, errno.ENOBUFS):
            return
        if not (NLMSGERR_ATTR_MSG in ext or NLMSGERR_ATTR_OFFS in ext or
                NLMSGERR_ATTR_MISS_TYPE in ext):
            raise Failure("%s (%s) refused with %s and no extack message"
                          % (name, mutation, errno.errorcode.get(err, err)))

    def accepted_values(self, aset, tree):
        """Decode what the kernel accepted; refuse out-of-spec values."""
        values = decode(self.spec, aset, render(tree))
        self.within_spec(aset, values)
        return values

    def within_spec(self, aset, values):
        for k, v in values.items():
            attr = self.spec.sets[aset][k]
            for x in (v if attr.multi else [v]):
                if attr.type == "nest":
                    self.within_spec(attr.nested, x)
                elif not in_checks(attr, x):
                    raise Failure("accepted %s/%s = %r, outside the spec's "
                                  "checks %r" % (aset, k, x, attr.checks))

    def one(self, i):
        r = self.rnd
        x = r.random()
        if x < 0.04:
            return self.rtnl_change()
        if x < 0.07:
            return self.dump_interleaved()
        name, cmd, aset, flags, dump = r.choice(self.ops)
        values = self.gen.request(name)
        tree = to_tree(self.spec, aset, values)
        mutation = "valid"
        if r.random() < 0.5:
            mutation = ", ".join(self.gen.mutate(tree, aset)
                                 for _ in range(r.choice([1, 1, 1, 2, 3])))
        try:
            err, ext, _ = self.genl(name, cmd, aset, dump, tree)
        except Failure as e:
            raise Failure("%s (%s): %s" % (name, mutation, e))
        self.log(name, mutation, err, ext)
        if dump or name.endswith("-get"):
            self.count(name, "refused" if err else "accepted")
            if err:
                self.judge_refusal(name, err, ext, mutation)
            return
        if err:
            self.count(name, "refused")
            self.judge_refusal(name, err, ext, mutation)
            self.check("after refused %s (%s, %s)"
                       % (name, mutation, ext.get(NLMSGERR_ATTR_MSG, b"")
                          .rstrip(b"\0").decode("latin-1")), full=False)
            return
        self.count(name, "accepted")
        try:
            self.model.apply(name, self.accepted_values(aset, tree))
        except (KeyError, TypeError) as e:
            raise Failure("accepted %s (%s) the model cannot apply: %r"
                          % (name, mutation, e))
        self.check("after accepted %s (%s)" % (name, mutation))

    def rtnl_change(self):
        """Up, down, MTU, MAC or delete on an erdev interface."""
        names = sorted(self.model.ifnames())
        if not names:
            return
        r = self.rnd
        ifname = r.choice(names)
        try:
            index = ifindex_of(ifname)
        except OSError:
            raise Failure("interface %s of the model is missing" % ifname)
        what = r.choice(["up", "down", "mtu", "mac", "del"])
        value = None
        if what == "mtu":
            value = r.choice([0, 67, 68, 1499, 1500, 1501, 9000, 65535,
                              0xffffffff])
        elif what == "mac":
            value = bytes([r.choice([0, 1, 2])] +
                          [r.getrandbits(8) for _ in range(5)])
        mtype, payload = rtnl_link_msg(index, what, value)
        err, ext, _ = self.rtnl.request(mtype, 0, payload)
        self.count("rtnl-" + what, "refused" if err else "accepted")
        if not err and what == "del":
            self.model.gone.add(ifname)
        self.check("after %s %s (%s)" % (what, ifname,
                                         os.strerror(err) if err else "ok"))

    def dump_interleaved(self):
        """Start a dump, change the state, finish the dump."""
        r = self.rnd
        name = r.choice(["circuit-get", "peering-get", "stats-get"])
        cmd = self.spec.ops[name][0]
        seq = self.dump_nl.send(self.family, NLM_F_DUMP,
                                struct.pack("=BBH", cmd, 1, 0))
        err, _, _ = self.dump_nl.recv(seq, parts=1)
        for _ in range(r.randint(1, 3)):
            op = r.choice(["circuit-new", "circuit-del", "peering-new",
                           "peering-del", "circuit-set", "peering-set"])
            cmdid, op_doc = self.spec.ops[op]
            aset = op_doc["attribute-set"]
            tree = to_tree(self.spec, aset, self.gen.request(op))
            e, ext, _ = self.genl(op, cmdid, aset, False, tree)
            if not e:
                self.model.apply(op, self.accepted_values(aset, tree))
            else:
                self.judge_refusal(op, e, ext, "valid, during a dump")
        if err is None:
            err, _, _ = self.dump_nl.recv(seq)
        self.count(name + "-interleaved", "refused" if err else "accepted")
        self.check("after a %s dump interleaved with changes" % name)

    def run(self, n):
        self.check("at the start")
        for i in range(n):
            self.one(i)
        # leave nothing behind
        for name in sorted(self.model.circuits):
            tree = to_tree(self.spec, "erdev", {"circuit": {"name": name}})
            cmd = self.spec.ops["circuit-del"][0]
            err, ext, _ = self.genl("circuit-del", cmd, "erdev", False, tree)
            if err:
                raise Failure("cannot delete circuit %s: %s" %
                              (name, os.strerror(err)))
            self.model.apply("circuit-del", {"circuit": {"name": name}})
        self.check("after deleting every circuit")

    # --- fault injection --------------------------------------------------

    def faults(self, report):
        """Fail the 1st, 2nd, ... fault point of each mutating request."""
        path = "/proc/thread-self/fail-nth"
        wfd = os.open(path, os.O_WRONLY)
        for label, prepare, (request, accept), undo in self.fault_plans():
            n = self.rnd.randint(1, self.stride)
            tried = 0
            while True:
                prepare()
                before = self.model.copy()
                self.check("before %s" % label)
                # Opened before the count is set: open() allocates. The
                # read after the request allocates nothing.
                rfd = os.open(path, os.O_RDONLY)
                os.write(wfd, b"%d" % n)
                lost = False
                try:
                    err, ext = request()
                except OSError as e:
                    # the request or its answer could not be allocated
                    if e.errno not in (errno.ENOBUFS, errno.ENOMEM):
                        raise
                    err, ext, lost = e.errno, {}, True
                except MemoryError:
                    # the fault hit the interpreter (mmap, brk)
                    err, ext, lost = errno.ENOMEM, {}, True
                left = int(os.read(rfd, 32) or 0)
                injected = left == 0
                os.write(wfd, b"0")
                os.close(rfd)
                if lost:
                    self.resync(before, accept, label)
                elif err:
                    if not injected:
                        raise Failure("%s refused (%s) with no fault "
                                      "injected" % (label,
                                                    os.strerror(err)))
                    self.judge_refusal(label, err, ext, "fault %d" % n, True)
                    self.check("%s, fault %d injected: refused" % (label, n))
                else:
                    accept()
                    self.check("%s, fault %d %s: done" %
                               (label, n, "injected" if injected
                                else "not reached"))
                undo()
                if not injected:
                    report[label] = {"faults": tried, "points": n - left}
                    break
                tried += 1
                n += self.stride
        os.close(wfd)

    def resync(self, before, accepted, label):
        """The answer was lost: the state is the one before or after."""
        self.nl.sock.close()
        self.nl = Netlink(NETLINK_GENERIC)
        got = kernel_model(self.spec, circuit_dump(self.spec, self.nl,
                                                   self.family))
        try:
            compare(before, got, erdev_ifnames(), label)
            self.model = before
        except Failure:
            accepted()
            self.check("%s, answer lost: done" % label)
        self.gen.model = self.model

    def fault_plans(self):
        """(label, prepare, request, undo) of every mutating request."""
        spec, nics = self.spec, self.nics

        def gen_req(op, values):
            cmd, doc = spec.ops[op]
            aset = doc["attribute-set"]

            tree = to_tree(spec, aset, values)
            payload = struct.pack("=BBH", cmd, 1, 0) + render(tree)

            def run():
                err, ext, _ = self.nl.request(self.family, 0, payload)
                return err, ext

            return run, lambda: self.model.apply(
                op, decode(spec, aset, render(tree)))

        def ensure(op_values):
            def prepare():
                for op, values in op_values:
                    run, acc = gen_req(op, values)
                    err, ext = run()
                    if err:
                        raise Failure("preparing: %s refused: %s" %
                                      (op, ext.get(NLMSGERR_ATTR_MSG)))
                    acc()
            return prepare

        def clear():
            for name in sorted(self.model.circuits):
                run, acc = gen_req("circuit-del",
                                   {"circuit": {"name": name}})
                err, _ = run()
                if err:
                    raise Failure("cannot delete circuit %s" % name)
                acc()

        def rtnl_req(ifname, what, value=None):
            msg = {}

            def run():
                err, ext, _ = self.rtnl.request(msg["mtype"], 0,
                                                msg["payload"])
                return err, ext

            def built():
                # after prepare() made the interface, before the fault is
                # armed: reading its ifindex opens a file, which allocates
                msg["mtype"], msg["payload"] = rtnl_link_msg(
                    ifindex_of(ifname), what, value)

            def acc():
                if what == "del":
                    self.model.gone.add(ifname)
            return (run, acc), built

        both = {"name": "f1", "stag": 100, "primary-ifindex": nics[0],
                "bandwidth": 1000, "service-key": bytes(range(16))}
        if len(nics) > 1:
            both["secondary-ifindex"] = nics[1]
        circuit = [("circuit-new", {"circuit": both})]
        peering = {"circuit": "f1", "type": 0, "ctag": 200,
                   "ipv4-primary": {"addr": bytes([10, 0, 0, 0]),
                                    "prefixlen": 30},
                   "ipv6-primary": {"addr": bytes.fromhex(
                       "20010db8" + "00" * 12), "prefixlen": 126}}
        with_peering = circuit + [("peering-new", {"peering": peering})]
        dot1q = {"name": "f2", "encap": 1, "primary-ifindex": nics[0]}
        plans = [
            ("circuit-new", clear, gen_req("circuit-new",
                                           {"circuit": both}), clear),
            ("circuit-new dot1q", clear, gen_req("circuit-new",
                                                 {"circuit": dot1q}), clear),
            ("circuit-set", ensure(circuit), gen_req(
                "circuit-set", {"circuit": {"name": "f1", "sku": 2,
                                            "bandwidth": 50}}), clear),
            ("circuit-del", ensure(with_peering), gen_req(
                "circuit-del", {"circuit": {"name": "f1"}}), clear),
            ("peering-new", ensure(circuit), gen_req(
                "peering-new", {"peering": peering}), clear),
            ("peering-del", ensure(with_peering), gen_req(
                "peering-del", {"peering": {"circuit": "f1", "type": 0}}),
             clear),
            ("peering-set", ensure(with_peering), gen_req(
                "peering-set", {"peering": {"circuit": "f1", "type": 0,
                                            "dscp": 0}}), clear),
        ]
        for what, value in (("up", None), ("down", None), ("mtu", 1400),
                            ("mac", b"\x02\x00\x00\x00\x00\x42"),
                            ("del", None)):
            request, built = rtnl_req("f1.p0", what, value)
            prepare = ensure(with_peering)
            plans.append(("rtnl %s f1.p0" % what,
                          lambda p=prepare, b=built: (p(), b()),
                          request, clear))
        return plans


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["fuzz", "faults"])
    ap.add_argument("--spec", default=SPEC)
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--nics", default="")
    ap.add_argument("--hostile", default="",
                    help="non-Ethernet or otherwise unusable devices")
    ap.add_argument("--foreign", default="",
                    help="ifindexes of NICs in another namespace")
    ap.add_argument("--report", default=None,
                    help="write the report, JSON, to REPORT (fd:N: to "
                    "file descriptor N)")
    ap.add_argument("--stride", type=int, default=1,
                    help="faults: fail every STRIDE-th fault point only, "
                    "from a random one of the first STRIDE")
    ap.add_argument("--log", default=None,
                    help="write each request and its answer to LOG")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = int.from_bytes(os.urandom(4), "little")
    fz = Fuzzer(args)
    t0 = time.time()
    report = {"mode": args.mode, "seed": args.seed}
    try:
        if args.mode == "fuzz":
            fz.run(args.requests)
            report["requests"] = fz.stats
        else:
            faults = {}
            fz.faults(faults)
            report["faults"] = faults
        report["result"] = "ok"
    except Failure as e:
        report["result"] = "failure"
        report["failure"] = str(e)
        report["last_requests"] = [(n, p.hex()) for n, p in fz.history]
    except Exception:
        report["result"] = "error"
        report["failure"] = traceback.format_exc()
        report["last_requests"] = [(n, p.hex()) for n, p in fz.history]
    report["seconds"] = round(time.time() - t0, 1)
    report["seconds_in"] = {k: round(v, 1) for k, v in fz.seconds.items()}
    text = json.dumps(report, indent=1, sort_keys=True)
    if args.report:
        with (os.fdopen(int(args.report[3:]), "w")
              if args.report.startswith("fd:") else
              open(args.report, "w")) as f:
            f.write(text + "\n")
    if report["result"] != "ok":
        print(text, file=sys.stderr)
        return 1
    total = sum(s["sent"] for s in fz.stats.values())
    print("nlfuzz %s: seed %d, %d requests, %s s, ok" %
          (args.mode, args.seed, total, report["seconds"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

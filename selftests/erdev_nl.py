# SPDX-License-Identifier: GPL-2.0
"""The erdev generic netlink family from Python, for the selftests'
erdev_tool.py and tools/fuzz/nlfuzz.py: the netlink socket, the generic
netlink family's id, attribute packing and unpacking, the extack parser,
and the family's attributes and operations as
Documentation/netlink/specs/erdev.yaml gives them.

Spec() reads the spec at run time and needs PyYAML (python3-yaml);
nothing else here does.
"""

import os
import socket
import struct

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "Documentation", "netlink", "specs", "erdev.yaml")

NETLINK_ROUTE = 0
NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLMSG_ERROR = 0x2
NLMSG_DONE = 0x3
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3fff
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

INT_TYPES = {"u8": "B", "u16": "H", "u32": "I", "u64": "Q",
             "s8": "b", "s16": "h", "s32": "i", "s64": "q"}


class Failure(Exception):
    """The kernel did something the spec or the model says it must not."""


# --- the spec ---------------------------------------------------------------

class Attr:
    def __init__(self, aset, doc, value, consts):
        self.set = aset
        self.name = doc["name"]
        self.id = value
        self.type = doc["type"]
        self.enum = doc.get("enum")
        self.nested = doc.get("nested-attributes")
        self.multi = doc.get("multi-attr", False)
        self.be = doc.get("byte-order") == "big-endian"
        self.checks = {}
        for key, val in doc.get("checks", {}).items():
            self.checks[key] = consts.get(val, val)

    def fmt(self):
        return (">" if self.be else "=") + INT_TYPES[self.type]

    def maxval(self):
        return (1 << (8 * struct.calcsize(self.fmt()))) - 1


class Spec:
    """The family: its name, enums (name: [entries]), attribute sets
    (set: {name: Attr}) and operations (name: (id, its YAML))."""

    def __init__(self, path=SPEC):
        import yaml

        with open(path) as f:
            doc = yaml.safe_load(f)
        self.family = doc["name"]
        consts, self.enums = {}, {}
        for d in doc.get("definitions", []):
            if d["type"] == "const":
                consts[d["name"]] = d["value"]
            elif d["type"] == "enum":
                self.enums[d["name"]] = [e["name"] if isinstance(e, dict)
                                         else e for e in d["entries"]]
        self.sets = {}
        for s in doc["attribute-sets"]:
            attrs, value = {}, 1
            for a in s["attributes"]:
                value = a.get("value", value)
                attrs[a["name"]] = Attr(s["name"], a, value, consts)
                value += 1
            self.sets[s["name"]] = attrs
        self.ops = {}
        value = 1
        for op in doc["operations"]["list"]:
            value = op.get("value", value)
            self.ops[op["name"]] = (value, op)
            value += 1

    def attr_by_id(self, aset, aid):
        for a in self.sets[aset].values():
            if a.id == aid:
                return a
        return None

    def requests(self):
        """(name, id, attribute-set, flags, is_dump) of every request."""
        for name, (cmd, op) in self.ops.items():
            if "notify" in op or "event" in op:
                continue
            for kind in ("do", "dump"):
                if kind in op:
                    yield (name, cmd, op["attribute-set"],
                           op.get("flags", []), kind == "dump")


# --- netlink ----------------------------------------------------------------

def nla(atype, data):
    return (struct.pack("=HH", 4 + len(data), atype) + data +
            b"\0" * ((4 - len(data) % 4) % 4))


def parse_nla(data):
    """[(type, payload)] of the attributes in @data, in order."""
    out, off = [], 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4 or off + alen > len(data):
            raise Failure("reply attribute of length %d at %d of %d"
                          % (alen, off, len(data)))
        out.append((atype & NLA_TYPE_MASK, data[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


class Netlink:
    def __init__(self, proto, rcvbuf=None):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.settimeout(60)
        self.bufsize = rcvbuf or 65536
        self.sock.bind((0, 0))
        self.seq = 0

    def send(self, mtype, flags, payload):
        self.seq += 1
        msg = struct.pack("=IHHII", 16 + len(payload), mtype,
                          flags | NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sock.send(msg + payload)
        return self.seq

    def recv(self, seq, parts=None):
        """Read the answer to request @seq: (error, extack, replies).

        @parts: stop after that many datagrams of a dump, returning None
        as the error (the rest is read by a later call)."""
        replies = []
        while parts is None or parts > 0:
            data = self.sock.recv(self.bufsize)
            if parts is not None:
                parts -= 1
            off = 0
            while off + 16 <= len(data):
                mlen, rtype, rflags, rseq, _ = struct.unpack_from("=IHHII",
                                                                  data, off)
                if mlen < 16:
                    raise Failure("reply message of length %d" % mlen)
                body = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if rseq != seq:
                    continue
                if rtype == NLMSG_ERROR:
                    return self.error(rflags, body) + (replies,)
                if rtype == NLMSG_DONE:
                    return (-struct.unpack_from("=i", body)[0]
                            if len(body) >= 4 else 0), {}, replies
                replies.append((rtype, body))
        return None, {}, replies

    @staticmethod
    def error(rflags, body):
        """(error, extack) of an NLMSG_ERROR: the extack as {NLMSGERR_ATTR_*:
        payload}."""
        err = -struct.unpack_from("=i", body)[0]
        ext = {}
        if rflags & NLM_F_ACK_TLVS:
            # the request header, with its payload unless capped
            olen = struct.unpack_from("=I", body, 4)[0]
            skip = 4 + (16 if rflags & NLM_F_CAPPED else olen)
            ext = dict(parse_nla(body[(skip + 3) & ~3:]))
        return err, ext

    def request(self, mtype, flags, payload):
        return self.recv(self.send(mtype, flags, payload))


def genl_family(nl, name):
    """The id of generic netlink family @name, or None."""
    payload = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
    payload += nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    err, _, replies = nl.request(GENL_ID_CTRL, 0, payload)
    if err or not replies:
        return None
    attrs = dict(parse_nla(replies[0][1][4:]))
    return struct.unpack("=H", attrs[CTRL_ATTR_FAMILY_ID][:2])[0]


# --- encoding and decoding by the spec --------------------------------------

def encode_value(attr, value):
    if attr.type == "nest":
        return None
    if attr.type == "string":
        return value.encode("latin-1") + b"\0"
    if attr.type == "binary":
        return bytes(value)
    if attr.type == "flag":
        return b""
    return struct.pack(attr.fmt(), value & attr.maxval())


def to_tree(spec, aset, values):
    """{name: value} of @aset as nodes [type, payload or [children]]."""
    nodes = []
    for name, value in values.items():
        attr = spec.sets[aset][name]
        for v in (value if attr.multi and isinstance(value, list)
                  else [value]):
            if attr.type == "nest":
                nodes.append([attr.id | NLA_F_NESTED,
                              to_tree(spec, attr.nested, v)])
            else:
                nodes.append([attr.id, encode_value(attr, v)])
    return nodes


def render(nodes):
    """The attributes of a tree of nodes; a third element of a node is
    the length its header gives, whatever its payload."""
    out = b""
    for node in nodes:
        atype, body = node[0], node[1]
        data = render(body) if isinstance(body, list) else body
        if len(node) > 2:          # a mutated length
            out += struct.pack("=HH", node[2], atype) + data
            out += b"\0" * ((4 - len(data) % 4) % 4)
        else:
            out += nla(atype, data)
    return out


def decode(spec, aset, data):
    """{name: value} of the attributes @data of @aset."""
    out = {}
    for aid, payload in parse_nla(data):
        attr = spec.attr_by_id(aset, aid)
        if attr is None:
            raise Failure("unknown attribute %d in %s" % (aid, aset))
        if attr.type == "nest":
            value = decode(spec, attr.nested, payload)
        elif attr.type == "string":
            # As the kernel reads it (NLA_NUL_STRING, nla_strscpy()): up
            # to the first NUL; a mutated length may leave bytes after it.
            value = payload.split(b"\0", 1)[0].decode("latin-1")
        elif attr.type in INT_TYPES:
            if len(payload) != struct.calcsize(attr.fmt()):
                raise Failure("reply %s/%s has %d bytes"
                              % (aset, attr.name, len(payload)))
            value = struct.unpack(attr.fmt(), payload)[0]
        elif attr.type == "pad":
            continue
        else:
            value = payload
        if attr.multi:
            out.setdefault(attr.name, []).append(value)
        else:
            out[attr.name] = value
    return out

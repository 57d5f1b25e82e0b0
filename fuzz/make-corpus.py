#!/usr/bin/python3
"""Writes the seed corpora fuzz/corpus/TARGET/ from the golden vectors (tests/vectors, copied from shared/spec/vectors).

Run with Debian's /usr/bin/python3 (python3-pyro4, python3-msgpack): marshal and msgpack payloads the vectors lack are
made by Pyro4 4.82's own serializers. Each seed starts with the target's selector byte (see the target classes in
fuzz/TypedPyro.Fuzz.Targets). Deterministic; rerun after the vectors change, then commit the corpus.
"""
import glob
import json
import os
import shutil
import struct
import sys

import Pyro4.message
import Pyro4.util

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "tests", "vectors")
CORPUS = os.path.join(HERE, "corpus")
MAX_SEED = 4096  # keeps every corpus at a few KB per file


def vectors():
    for path in sorted(glob.glob(os.path.join(VECTORS, "*.json"))):
        if os.path.basename(path) == "index.json":
            continue
        with open(path, encoding="utf-8") as f:
            yield os.path.basename(path)[:-5], json.load(f)


def header(data):
    return struct.unpack(">4sHHHHiHHHH", data[:24])


def payload_of(message):
    """(serializer id, payload) of one whole wire message, or None when compressed."""
    _, _, _, flags, _, size, ser, ann, _, _ = header(message)
    if flags & Pyro4.message.FLAGS_COMPRESSED:
        return None
    return ser, message[24 + ann:24 + ann + size]


def client_messages(decoded):
    return [bytes.fromhex(m["hex"]) for m in decoded.get("messages", []) if m.get("direction") == "c2s"]


def pyro_invoke(ser_id, seq, method, args, kwargs=None):
    serializer = Pyro4.util.get_serializer_by_id(ser_id)
    data, _ = serializer.serializeCall("test.echoserver", method, args, kwargs or {}, compress=False)
    return Pyro4.message.Message(Pyro4.message.MSG_INVOKE, data, ser_id, 0, seq).to_bytes()


SAMPLE_VALUES = [None, True, 42, -1, 2 ** 70, 3.25, "hello", "ünïcode", b"bytes", [1, "two", 3.0], (1, 2),
                 {"a": 1, "b": [None]}, {1, 2, 3}, {"nested": {"list": [[], {}, ()]}}, 1 + 2j]


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    seeds = {}

    def add(target, name, data):
        if len(data) <= MAX_SEED:
            seeds.setdefault(target, {})[name] = data

    payloads = {1: [], 2: [], 3: [], 6: []}
    for name, v in vectors():
        kind, raw = v["kind"], bytes.fromhex(v.get("hex") or "")
        decoded = v.get("decoded")
        if kind == "message":
            hmac = any(a["key"] == "HMAC" for a in decoded["annotations"])
            add("message", name, bytes([1 if hmac else 0]) + raw)
            add("message", name + "_limited_proxy", bytes([(1 if hmac else 0) | 2 | 4 | 8]) + raw)
            p = payload_of(raw)
            if p and p[0] in payloads:
                payloads[p[0]].append((name, p[1]))
            if decoded["header"]["type"] in (Pyro4.message.MSG_INVOKE, Pyro4.message.MSG_PING) and not hmac:
                add("daemon", name, b"\x00" + raw)
        elif kind == "conversation":
            sent = client_messages(decoded)
            add("message", name, b"\x04" + b"".join(sent))
            calls = [m for m in sent if header(m)[2] in (Pyro4.message.MSG_INVOKE, Pyro4.message.MSG_PING)]
            if calls:
                add("daemon", name, b"\x00" + b"".join(calls))
                add("daemon", name + "_limited", b"\x01" + b"".join(calls))
            for m in sent:
                p = payload_of(m)
                if p and p[0] in payloads:
                    payloads[p[0]].append((name, p[1]))
        elif kind in ("serpent", "json") and raw:
            payloads[1 if kind == "serpent" else 2].append((name, raw))
        elif kind == "uri_cases":
            for i, case in enumerate(decoded["cases"]):
                add("uri", "%s_%02d" % (name, i), case["input"].encode("utf-8"))
        elif kind == "http":
            request = decoded["request"]
            path = request["path"]
            if "?" in path:
                add("gateway", name + "_query", b"\x00" + path.split("?", 1)[1].encode("utf-8"))
            if request.get("body"):
                add("gateway", name + "_body", b"\x00" + request["body"].encode("utf-8"))
            for key, value in request.get("headers", {}).items():
                if key.lower() == "x-pyro-correlation-id":
                    add("gateway", name + "_correlation", b"\x03" + value.encode("utf-8"))

    # Marshal and msgpack, which the vectors carry only in echo calls: Pyro4's own serializers.
    for ser_id in (3, 6):
        serializer = Pyro4.util.get_serializer_by_id(ser_id)
        for i, value in enumerate(SAMPLE_VALUES):
            try:
                payloads[ser_id].append(("pyro4_value_%02d" % i, serializer.dumps(value)))
                data, _ = serializer.serializeCall("test.echoserver", "echo", (value,), {"k": value}, compress=False)
                payloads[ser_id].append(("pyro4_call_%02d" % i, data))
            except Exception:  # a value this serializer cannot carry (marshal has no sets of ... etc.)
                pass
        add("daemon", "pyro4_calls_%d" % ser_id, b"\x00" + b"".join(
            pyro_invoke(ser_id, i, m, a) for i, (m, a) in enumerate([("echo", ("hi",)), ("error", ()), ("count", ())])))
    for ser_id in (1, 2):
        add("daemon", "pyro4_stream_%d" % ser_id, b"\x01" + pyro_invoke(ser_id, 1, "count", ()))

    names = {1: "serpent", 2: "json", 3: "marshal", 6: "msgpack"}
    for ser_id, items in payloads.items():
        for name, data in items:
            # Values are read as values; payloads of calls also as calls, both ways.
            for mode in (range(3) if name.startswith(("msg_", "cap_", "pyro4_call")) else (0,)):
                add(names[ser_id], "%s_mode%d" % (name, mode), bytes([mode]) + data)

    # Gateway extras: url-encoded and multipart bodies, correlation ids.
    add("gateway", "form_repeated", b"\x00a=1&b=two+words&a=%41%zz&empty=&noeq&%ff=%e2%82%ac")
    add("gateway", "form_latin1", b"\x01name=J%F6rg&x=%E9")
    boundary = b"fuzzboundary"
    multipart = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhello\r\n"
                 b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"$key\"\r\n\r\nsecret\r\n"
                 b"--" + boundary + b"--\r\n")
    add("gateway", "multipart", b"\x02" + multipart)
    add("gateway", "correlation_urn", b"\x03urn:uuid:{7f3e9a52-1c4b-4d8e-9f60-a1b2c3d4e5f6}")

    for target, files in sorted(seeds.items()):
        folder = os.path.join(CORPUS, target)
        os.makedirs(folder)
        seen = set()
        for name, data in sorted(files.items()):
            if data in seen:
                continue
            seen.add(data)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        print("%-8s %4d seeds" % (target, len(seen)), file=sys.stderr)


if __name__ == "__main__":
    main()

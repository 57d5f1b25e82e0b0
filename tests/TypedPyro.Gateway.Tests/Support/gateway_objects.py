"""Pyro objects behind the gateway tests: Python's echo server and a small test object, registered in the name
server given by PYRO_NS_HOST / PYRO_NS_PORT. Prints 'ready' when registered."""
import sys
import Pyro4
import Pyro4.naming
from Pyro4.test.echoserver import EchoServer

Pyro4.config.SERIALIZERS_ACCEPTED = {"json", "serpent", "marshal"}


@Pyro4.expose
class GatewayTest(object):
    def __init__(self):
        self._value = 42

    def kwargs(self, **kw):
        """returns what arrived, to show how the gateway parsed the parameters"""
        return {k: kw[k] for k in sorted(kw)}

    def add(self, a, b):
        return a + b

    def none(self):
        return None

    def unicode(self):
        return u"h\u00e9llo \u20ac \U0001F600"

    def unjsonable(self):
        return b"\x00\x01bytes"

    def big(self, size):
        return "x" * int(size)

    def numbers(self):
        return {"int": 1, "float": 2.5, "big": 2 ** 70, "list": [1, 2, 3], "tuple": (4, 5), "set": {6}}

    def fail_unicode(self):
        raise ValueError(u"caf\u00e9 failure")

    @Pyro4.oneway
    def oneway_note(self, text):
        return None

    @property
    def value(self):
        return self._value

    @property
    def label(self):
        return u"lab\u00e9l"


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
    names = sys.argv[2:] or ["http.echo", "secret.echo", "http.test"]
    daemon = Pyro4.Daemon(host=host)
    ns = Pyro4.naming.locateNS()
    for name in names:
        obj = GatewayTest() if name.endswith(".test") else EchoServer()
        uri = daemon.register(obj, name)
        ns.register(name, uri)
    print("ready", flush=True)
    daemon.requestLoop()


if __name__ == "__main__":
    main()

"""Pushes connect only to public addresses. A push endpoint names a host on the allow-list (push.py), but the name
could resolve to this machine or a private network (by a DNS answer the person controls, or one that changes
between a check and the connection), so the address is checked on the connected socket itself, before a byte is
sent: an internal service never sees the request, and its answer can't be read back (a 410 there used to delete
the device, which the person could see)."""

import ipaddress

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError


class PublicHTTPSConnection(HTTPSConnection):
    def _new_conn(self):
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if not ipaddress.ip_address(peer).is_global:
            sock.close()
            raise NewConnectionError(self, f"{peer} is not a public address")
        return sock


class PublicHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = PublicHTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            **self.poolmanager.pool_classes_by_scheme,
            "https": PublicHTTPSConnectionPool,
        }


def public_session() -> requests.Session:
    """A session whose https connections reach public addresses only (plain http is for the loopback test push
    service alone, which push.allowed_endpoint admits only where PUSH_SERVICES lists it)."""
    session = requests.Session()
    session.mount("https://", PublicOnlyAdapter())
    return session

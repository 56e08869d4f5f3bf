"""The client's address, read one way for everything that counts clients: the log-in lockout (django-axes calls
`client_address` through AXES_CLIENT_IP_CALLABLE) and the sign-up and password-reset limits
(tracker.accounts.throttle). Nothing else in the app reads REMOTE_ADDR or X-Forwarded-For."""

import ipaddress
import logging
import secrets

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)

# An IPv6 client is counted by its /64: the network one home or phone is given, inside which it may pick any address.
IPV6_CLIENT_PREFIX = 64
# A client whose address can't be read is given a random one in the discard-only prefix (RFC 6666): it is never
# counted with another client, and the lockout's address column still accepts it.
UNREADABLE = ipaddress.IPv6Network("100::/64")


def trusted_proxies() -> int:
    """How many proxies in front of the app servers append to X-Forwarded-For. settings.py sets both values from
    TRUSTED_PROXIES (config.settings.proxy_settings); the header is read only when it is named."""
    if "HTTP_X_FORWARDED_FOR" not in settings.AXES_IPWARE_META_PRECEDENCE_ORDER:
        return 0
    return max(1, settings.AXES_IPWARE_PROXY_COUNT or 1)


def client_address(request: HttpRequest) -> str:
    """The address a client is counted by. Behind N trusted proxies it is the X-Forwarded-For entry N from the right,
    the one the outermost trusted proxy appended, whatever its range (a LAN, carrier-grade NAT or Docker address is
    still that client). Entries further left are whatever the client sent and are never read; with fewer entries
    than proxies the client reached an inner proxy directly and the left-most entry is its. With no proxy, or no
    header, it is the peer (REMOTE_ADDR).

    An IPv6 address stands for its /64 and an IPv4-mapped one for its IPv4 address. An entry that is not an address
    ("unknown", as some proxies write) makes the request a client of its own, so it is never merged with others."""
    proxies = trusted_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded is not None:
        entries = forwarded.rsplit(",", proxies)  # at most proxies + 1 parts, whatever the client sent
        raw = entries[-min(proxies, len(entries))]
    else:
        raw = request.META.get("REMOTE_ADDR", "")
    address = parse(raw)
    if address is None:
        log.warning(
            "the client's address %.60r is not an address; the request is counted as a client of its own", raw
        )
        return str(UNREADABLE[secrets.randbits(128 - UNREADABLE.prefixlen)])
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        host_bits = 128 - IPV6_CLIENT_PREFIX
        return str(ipaddress.IPv6Address(int(address) >> host_bits << host_bits))
    return str(address)


def parse(entry: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as proxies write it: bare, IPv4 with a port (`198.51.100.7:4711`), or IPv6 in brackets with or
    without one (`[2001:db8::1]:443`)."""
    text = entry.strip()
    if text.startswith("["):
        text, bracket, _ = text[1:].partition("]")
        if not bracket:
            return None
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None

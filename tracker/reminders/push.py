"""Web Push with VAPID (RFC 8291 aes128gcm payloads, RFC 8292 signatures) through pywebpush.

The key pair is made once per installation and kept in the database, so every app server and worker signs with
the same key and the browsers' subscriptions stay valid; VAPID_PRIVATE_KEY in the environment takes its place.
"""

import base64
import json
import logging
import threading
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]
from urllib3.util import parse_url

from tracker.models import PushSubscription, VapidKey
from tracker.reminders.public_only import public_session

log = logging.getLogger(__name__)
TIME_TO_LIVE = 6 * 60 * 60  # a push service keeps an undelivered reminder this long (a phone switched off)
GONE_STATUSES = (404, 410)  # the push service says the subscription is no more
# Seconds to connect, then to wait for each reply: a push service that takes the connection and never answers holds
# the worker that long for each device, never for ever.
TIMEOUT = (5, 10)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key_pair() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(private), b64url(public)


def keys() -> tuple[str, str]:
    """(private, public) in base64url. Made at first use; two servers making it at once both end up with the row
    the first one stored (get_or_create takes the other's row on the unique primary key)."""
    if settings.VAPID_PRIVATE_KEY:
        vapid = Vapid.from_string(settings.VAPID_PRIVATE_KEY)
        public = vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return settings.VAPID_PRIVATE_KEY, b64url(public)
    row = VapidKey.objects.filter(pk=1).first()
    if row is None:
        private, public = new_key_pair()
        row, _ = VapidKey.objects.get_or_create(pk=1, defaults={"private_key": private, "public_key": public})
    return row.private_key, row.public_key


def public_key() -> str:
    """What the browser's pushManager.subscribe() takes as applicationServerKey."""
    return keys()[1]


def allowed_endpoint(endpoint: str) -> bool:
    """An https address at one of settings.PUSH_SERVICES (or below it), on the default port; plain http (on any
    port) only for a loopback test service listed there.

    The address is read twice, by urlsplit and by urllib3's parser (what requests, so pywebpush, connects with),
    and both must name the same host: `https://127.0.0.2\\@fcm.googleapis.com/` reads as Google to one and as
    127.0.0.2 to the other. Anything that can read two ways is refused before either: a user name (@), a
    backslash, a fragment (#), and spaces or other characters no push service puts in an address."""
    if not endpoint.isascii() or not endpoint.isprintable() or any(mark in endpoint for mark in "@\\# "):
        return False
    try:
        parts = urlsplit(endpoint)
        connects = parse_url(endpoint)  # LocationParseError is a ValueError
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if (connects.scheme, connects.host, connects.port) != (parts.scheme, host, port):
        return False
    listed = any(host == allowed or host.endswith("." + allowed) for allowed in settings.PUSH_SERVICES)
    if parts.scheme == "https":
        return listed and port is None and bool(parts.path)
    return parts.scheme == "http" and listed and host in ("127.0.0.1", "localhost")


def is_curve_point(p256dh: str) -> bool:
    """The browser's public key (base64url) is a point on P-256, as pywebpush needs it to encrypt a reminder."""
    try:
        raw = base64.urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4))
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


# What became of one push (deliver): taken; the subscription is no more; refused by a push service that answered;
# or no answer at all (no connection, a timeout), which sending.PushPool counts against the push service.
SENT, GONE, FAILED, UNREACHABLE = "sent", "gone", "failed", "unreachable"
_threads = threading.local()


def session() -> requests.Session:
    """This thread's HTTP session, so the pushes one thread makes reuse their connections (a TLS handshake per
    push would cost more than the push)."""
    found = getattr(_threads, "session", None)
    if found is None:
        found = _threads.session = public_session()
    return found


def signing_key(private_key: str) -> Vapid:
    return Vapid.from_string(private_key)


def service_of(endpoint: str) -> str:
    """The push service a subscription belongs to: its host (and port, for a test service on this machine)."""
    return urlsplit(endpoint).netloc.lower()


def deliver(subscription: PushSubscription, payload: dict, private_key: str | Vapid) -> str:
    """Send one push and say what became of it (SENT, GONE, FAILED or UNREACHABLE). No database work, so it may run
    in any thread. `private_key` read once (signing_key) saves reading it for every push of a batch."""
    try:
        webpush(
            subscription.as_webpush(),
            json.dumps(payload),
            vapid_private_key=private_key,
            vapid_claims={
                "sub": settings.VAPID_SUBJECT
            },  # pywebpush adds aud (the endpoint's origin) and exp
            ttl=TIME_TO_LIVE,
            timeout=TIMEOUT,
            headers={"Urgency": "normal"},
            requests_session=session(),
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE_STATUSES:
            log.info("push subscription %s gone (%s)", subscription.pk, status)
            return GONE
        log.warning("push to subscription %s refused (%s)", subscription.pk, status)
        return FAILED
    except (requests.ConnectionError, requests.Timeout) as error:
        log.warning("push to subscription %s failed: %s", subscription.pk, type(error).__name__)
        return UNREACHABLE
    except (requests.RequestException, ValueError) as error:  # ValueError: a key saved before it was checked
        log.warning("push to subscription %s failed: %s", subscription.pk, type(error).__name__)
        return FAILED
    return SENT


def push(subscription: PushSubscription, payload: dict) -> bool:
    """Send one push; True when the push service took it. A 404 or 410 means the browser dropped the subscription
    (uninstalled, permission taken back): it is deleted, so it is never tried again."""
    outcome = deliver(subscription, payload, keys()[0])
    if outcome == GONE:
        subscription.delete()
    return outcome == SENT

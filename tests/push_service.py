"""A Web Push service for tests, on 127.0.0.1: it stands in for the browser vendor's (FCM, Mozilla, Apple).

Each subscription is a key pair and auth secret made here, as a browser would make them. A push is accepted only
with a valid VAPID signature (RFC 8292: an ES256 JWT whose `aud` is this service's origin and whose `exp` is in the
next 24 hours, checked with the public key the request itself names, which must be the app's), and its body is
decrypted (RFC 8291, aes128gcm) with the subscription's private key and auth secret. The decrypted text is kept.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Subscription:
    """What a browser's pushManager.subscribe() holds: the endpoint, and the keys only the browser knows."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64encode(point)

    def as_json(self) -> dict:
        """subscription.toJSON() in the browser."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64encode(self.auth)},
        }


@dataclass
class Received:
    path: str
    text: str
    claims: dict
    signer: str  # the VAPID public key that signed it (base64url)
    headers: dict  # names in lower case


@dataclass
class PushService:
    origin: str
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why requests were refused
    answers: dict[str, int] = field(default_factory=dict)  # path -> status to answer (default 201)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    count: int = 0  # pushes taken without checks (start(check=False))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self) -> Subscription:
        path = "/push/" + b64encode(os.urandom(12))
        subscription = Subscription(
            self.origin + path, ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
        )
        self.subscriptions[path] = subscription
        return subscription

    def texts(self) -> list[str]:
        return [message.text for message in self.received]

    def payloads(self) -> list[dict]:
        return [json.loads(message.text) for message in self.received]


def verify_vapid(authorization: str, audience: str) -> tuple[dict, str]:
    """The JWT's claims and the signing key, or AssertionError."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid", f"scheme {scheme!r}"
    parts = dict(item.strip().split("=", 1) for item in params.split(","))
    token, signer = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(b64decode(header_b64))
    assert header["alg"] == "ES256", header
    signature = b64decode(signature_b64)
    assert len(signature) == 64, "an ES256 signature is r and s, 32 bytes each"
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(signer))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    claims = json.loads(b64decode(claims_b64))
    assert claims["aud"] == audience, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
    assert claims["sub"].startswith(("mailto:", "https:")), claims
    return claims, signer


def start(check: bool = True) -> tuple[PushService, ThreadingHTTPServer]:
    """The service, on a free port, in a thread. `check=False` (the reminders bench) only counts what arrives: the
    signature and decryption checks would cost this machine more than the app's own work."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    service = PushService(f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # connections kept open between pushes, as a real push service does

        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not check:
                with service.lock:
                    service.count += 1
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = service.answers.get(self.path, 201)
            subscription = service.subscriptions.get(self.path)
            try:
                assert subscription is not None, "no such subscription"
                assert self.headers["Content-Encoding"] == "aes128gcm", self.headers["Content-Encoding"]
                assert int(self.headers["TTL"]) >= 0
                claims, signer = verify_vapid(self.headers["Authorization"], service.origin)
                text = http_ece.decrypt(
                    body,
                    private_key=subscription.private_key,
                    auth_secret=subscription.auth,
                    version="aes128gcm",
                ).decode()
            except Exception as error:  # noqa: BLE001 (any failure is a refusal, recorded for the test)
                service.refused.append(f"{type(error).__name__}: {error}")
                status = 400
            else:
                if status < 300:
                    service.received.append(
                        Received(
                            self.path, text, claims, signer, {k.lower(): v for k, v in self.headers.items()}
                        )
                    )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return service, server

"""One HTTP request to the app on this machine with a jar of cookies, for the scripts that drive a served copy
(tests/loadtest.py, tests/lighthouse.py) rather than Django's test client."""

import http.client
from http.cookies import SimpleCookie
from urllib.parse import urlencode


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    body: dict | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Send `body` as a form (with the CSRF cookie's token) and the cookies; add the cookies the answer sets."""
    sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    data = None
    if body is not None:
        data = urlencode(body, doseq=True)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent["X-CSRFToken"] = cookies.get("csrftoken", "")
    sent.update(headers or {})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        content = response.read()
    finally:
        conn.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    return response.status, response.headers, content

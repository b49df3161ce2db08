"""Security headers on every response: what a browser may do with our pages.

The Content-Security-Policy allows scripts, styles, fonts and connections from this server only: no
inline `<script>` or `style=` (pages keep their data in `<script type="application/json">` blocks,
which are not run, and their code in web/static), nothing from a CDN (the vendored YASGUI and
vis-network are served from /static). Images may also be `data:`/`blob:` URLs, which the network
view's PNG export and YASGUI's icons use. `frame-ancestors 'none'` and `X-Frame-Options: DENY` stop
other sites from framing our pages (click-jacking); `nosniff` stops a browser from running a CSV or
a JSON answer as a script; `same-origin` keeps our URLs (which carry queries) out of other sites' logs.
"""
from __future__ import annotations

from flask import Flask, Response

# The vendored libraries inject their own CSS as <style> elements (vis-network's standalone build
# bundles its stylesheet in eight pieces, the first an empty element; YASGUI one more). These are
# the SHA-256 hashes of exactly those texts, so they apply and nothing else inline does. After a
# refresh of web/static/vendor the browser tests fail with "CSP violation" and Chromium's message
# names the new hash to put here.
VENDOR_STYLE_HASHES = (
    "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",   # vis-network: the empty element
    "sha256-OutIf5hnp68ctx4ThtV5J02g5HTJ5bbu/hkNfqVXWWo=",   # vis-network
    "sha256-4cgFR0//m8/eHo2G/esYsuZetUHlzCUWYM59sfgE9zY=",   # vis-network
    "sha256-uepMTym1NwItBa/XV6ef6fQobLL0A0CNVDM5km5L+nQ=",   # vis-network
    "sha256-gGUn/VMBXCeWm86qX/pOf+4ZDSbe0JcaXXb4rJjw1mA=",   # vis-network
    "sha256-QuPewnJYr+SnQiTnCNHFBw99ExTsz9f8w5320PimEPw=",   # vis-network
    "sha256-IY7YKNHjbzQ1NfAKrBZvBZohgXMtxrqB9PaqhAaT3vg=",   # vis-network
    "sha256-QE7TOEDW7YIlMzvUUnm8boDWeNBN7PBbaaYJjnp34WI=",   # vis-network
    "sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=",   # YASGUI
)
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' " + " ".join(f"'{h}'" for h in VENDOR_STYLE_HASHES),
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def install(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

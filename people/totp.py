"""Time-based one-time codes (TOTP, RFC 6238) for two-step verification: pure rules.

An authenticator app and Footing share a secret; each 30-second step has its own 6-digit code.
Nothing here touches the database or the clock: the moment is passed in.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
DIGITS = 6
# A phone's clock may be a little out: the step before and the step after are accepted too.
WINDOW_STEPS = 1
ISSUER = "Footing"

_CODE = re.compile(rf"\d{{{DIGITS}}}")


def new_secret() -> str:
    """A fresh random secret (160 bits, base32), as authenticator apps expect."""
    return pyotp.random_base32(length=32)


def normalise_code(typed: str) -> str:
    """What a person typed, without the spaces or dashes some apps show in the middle."""
    return re.sub(r"[\s-]", "", typed)


def is_well_formed(code: str) -> bool:
    return bool(_CODE.fullmatch(code))


def step_at(at: datetime) -> int:
    """The number of 30-second steps since the Unix epoch at that moment."""
    return int(at.timestamp()) // STEP_SECONDS


def code_for_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def matching_step(*, secret: str, code: str, at: datetime, last_used_step: int) -> int | None:
    """The step whose code this is, within one step either side of `at`; else None.

    A step at or before the last one used is never matched: a code seen once (over a
    shoulder, in a log) cannot be used again, even inside its own 90 seconds.
    """
    if not is_well_formed(code):
        return None
    now = step_at(at)
    for step in range(now - WINDOW_STEPS, now + WINDOW_STEPS + 1):
        if step <= last_used_step:
            continue
        if hmac.compare_digest(code_for_step(secret, step), code):
            return step
    return None


def was_used_already(*, secret: str, code: str, at: datetime, last_used_step: int) -> bool:
    """True when the code is right for the window but its step has been used: a replay."""
    if not is_well_formed(code):
        return False
    now = step_at(at)
    steps = range(now - WINDOW_STEPS, min(now + WINDOW_STEPS, last_used_step) + 1)
    return any(hmac.compare_digest(code_for_step(secret, step), code) for step in steps)


def provisioning_uri(*, secret: str, account: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    return totp.provisioning_uri(name=account, issuer_name=ISSUER)


def qr_code_svg(uri: str, *, title: str) -> str:
    """The QR code as inline SVG markup: made on the server, no script, no inline style.

    `title` names the image for screen readers (role="img" makes them read it as one image).
    """
    qr = segno.make(uri, error="m")
    svg = qr.svg_inline(scale=5, border=2, dark="#0b0c0c", light="#ffffff", title=title)
    return svg.replace("<svg ", '<svg role="img" ', 1)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

"""The next code a TOTP device will accept.

django-otp accepts each time step once (replay protection) and the steps within ``tolerance`` of
now. Someone who logs in twice within 30 seconds therefore needs the next step's code, not the
one an authenticator app shows first. The demo page and the browser tests both need the code a
person would succeed with, so it is worked out here once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class UsableCode:
    code: str
    wait_seconds: float  # 0 when the code is accepted now


def next_usable_code(device: TOTPDevice, *, now: float | None = None) -> UsableCode:
    """The code of the earliest time step the device has not used, and how long until it is
    accepted (only after a third log-in within one tolerance window)."""
    now = time.time() if now is None else now
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now
    step = max(totp.t(), device.last_t + 1)
    # TOTP.t() is (time - t0) // step + drift: the start of ``step`` in seconds is its inverse.
    totp.time = device.t0 + (step - device.drift) * device.step
    accepted_from = device.t0 + (step - device.tolerance - device.drift) * device.step
    return UsableCode(
        code=f"{totp.token():0{device.digits}d}", wait_seconds=max(0.0, accepted_from - now)
    )

"""The code a person would succeed with: a second log-in within 30 seconds needs the next
step's code, since django-otp accepts each step once."""

import pytest
from django_otp.oath import TOTP

from sporskifte.accounts.totp import next_usable_code


@pytest.mark.django_db
def test_a_fresh_device_accepts_the_code_of_now(device):
    usable = next_usable_code(device)

    assert usable.wait_seconds == 0
    assert device.verify_token(usable.code)


@pytest.mark.django_db
def test_log_ins_in_a_row_each_get_a_code_the_device_accepts(device):
    codes = []
    for _ in range(3):
        usable = next_usable_code(device)
        assert usable.wait_seconds <= device.step
        codes.append(usable.code)
        assert device.verify_token(usable.code)

    assert len(set(codes)) == 3


@pytest.mark.django_db
def test_a_step_beyond_the_tolerance_is_waited_for(device):
    now_step = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    device.last_t = now_step + device.tolerance
    device.save()

    usable = next_usable_code(device)

    assert 0 < usable.wait_seconds <= device.step

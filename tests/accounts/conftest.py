"""What the second factor's tests share: alice's authenticator app."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.second_factor import AUTHENTICATOR_NAME


@pytest.fixture
def authenticator(alice: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=alice, name=AUTHENTICATOR_NAME, confirmed=True)

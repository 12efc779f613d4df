"""The demo's API tokens (accounts.api_tokens): the administrator has one live token for a
reporting script, used yesterday, and one revoked, so her Account page shows both states. The
secrets are thrown away: nothing in the demo calls the API with them. Made only when she has
none, so a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.api_tokens import token_revoke
from accounts.models import ApiToken, User
from devtools.sessions import api_token_mint_for

HOLDER = "diana"
LIVE_DAYS = 60


def write_api_tokens(*, users: dict[str, User]) -> None:
    holder = users[HOLDER]
    if ApiToken.objects.filter(user=holder).exists():
        return
    live, _ = api_token_mint_for(holder, name="Quarterly outcomes report script", days=LIVE_DAYS)
    ApiToken.objects.filter(pk=live.pk).update(last_used_at=timezone.now() - dt.timedelta(days=1))
    retired, _ = api_token_mint_for(holder, name="Old export script", days=7)
    token_revoke(user=holder, token_id=retired.pk)

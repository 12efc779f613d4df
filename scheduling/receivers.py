"""The one Django signal scheduling listens to: a user saved as inactive loses their feed."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from scheduling.services import feed_revoke


def revoke_feed_of_deactivated_user(sender: type[User], instance: User, **kwargs: Any) -> None:
    if not instance.is_active and not kwargs.get("raw"):
        feed_revoke(user=instance)

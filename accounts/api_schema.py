"""How the OpenAPI schema (drf-spectacular) describes the API's bearer tokens
(accounts.api_tokens). Registered by AccountsConfig.ready: a module of its own, since DRF
imports the authentication class while it loads its views, before the schema's pieces."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_tokens.ExpiringTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An expiring token made on the Account page (cw_...).",
        }

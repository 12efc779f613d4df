"""How the API answers when a service refuses a change.

Services raise ``django.core.exceptions.ValidationError`` (usually with field errors) and
``PermissionDenied``. DRF already turns ``PermissionDenied`` and ``Http404`` into 403 and 404;
this handler adds the Django ``ValidationError``, which DRF would otherwise let through as a
500, so that bad input always gets a 400 naming the field it is about.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """Field errors keyed by field name; errors about no one field under
    ``non_field_errors``, as DRF's own serializers report them."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=validation_error_detail(exc))
    return exception_handler(exc, context)

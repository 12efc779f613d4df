"""Forms in front of services: the form shapes the input, the service decides.

Shared by every app's views: a valid POST goes to the service as keyword arguments, and a
``ValidationError`` the service raises comes back onto the form beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors beside their field (or at
    the top when the form has no such field), the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def save_with_service(
    form: forms.BaseForm, request: HttpRequest, service: Callable[..., T]
) -> T | None:
    """On a valid POST, call ``service`` with the cleaned data and return what it made;
    otherwise (a GET, invalid input, or the service refusing) ``None``."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(**form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def int_param(request: HttpRequest, name: str) -> int | None:
    """A whole-number query parameter, or None when it is missing or not a number."""
    return query_int(request.GET, name)


def query_int(query: QueryDict, name: str) -> int | None:
    """``int_param`` of a query without its request (an export job's stored query)."""
    value = query.get(name, "")
    return int(value) if value.isdigit() else None

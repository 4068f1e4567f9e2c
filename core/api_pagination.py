"""The one pagination class of the REST API: page numbers and page sizes are bounded.

An unbounded ``page`` multiplied by the page size overflows the database's query offset (HTTP 500 on
SQLite and PostgreSQL); here a page outside 1..MAX_PAGE or a page size outside 1..MAX_PAGE_SIZE is
answered with 422 and a clear message. It is the default (``NINJA_PAGINATION_CLASS``), so
``@paginate`` without a class uses it; ``@paginate(BoundedPagination, page_size=50)`` sets a default
page size for one operation and ``max_page=1000`` a smaller bound for the page number.
"""

import functools
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import PageNumberPagination
from pydantic import field_validator
from pydantic_core import PydanticCustomError

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


def _bounded(value: int | None, upper: int, error_type: str, message: str) -> int | None:
    if value is not None and not 1 <= value <= upper:
        # the message is formatted already; PydanticCustomError would read braces as placeholders
        raise PydanticCustomError(error_type, message.replace("{", "(").replace("}", ")"))
    return value


@functools.cache
def input_schema(max_page: int, max_page_size: int) -> type[Schema]:
    """The query parameters ``page`` and ``page_size`` with these upper bounds. The bounds are
    published in the OpenAPI schema (minimum/maximum) and checked with a message that says what is
    allowed."""

    class Input(Schema):
        page: int = Field(
            1,
            description=f"Page number, 1 to {max_page}.",
            json_schema_extra={"minimum": 1, "maximum": max_page},
        )
        page_size: int | None = Field(
            None,
            description=f"Items per page, 1 to {max_page_size}.",
            json_schema_extra={"minimum": 1, "maximum": max_page_size},
        )

        @field_validator("page")
        @classmethod
        def _page_in_range(cls, value: int) -> int:
            return _bounded(
                value,
                max_page,
                "page_out_of_range",
                _("The page number must be between 1 and %(max)s.") % {"max": max_page},
            )

        @field_validator("page_size")
        @classmethod
        def _page_size_in_range(cls, value: int | None) -> int | None:
            return _bounded(
                value,
                max_page_size,
                "page_size_out_of_range",
                _("The page size must be between 1 and %(max)s.") % {"max": max_page_size},
            )

    return Input


class BoundedPagination(PageNumberPagination):
    """Page-number pagination with ``page`` in 1..max_page and ``page_size`` in 1..max_page_size
    (at most MAX_PAGE and MAX_PAGE_SIZE)."""

    Input = input_schema(MAX_PAGE, MAX_PAGE_SIZE)

    def __init__(
        self,
        page_size: int | None = None,
        max_page_size: int = MAX_PAGE_SIZE,
        max_page: int = MAX_PAGE,
        **kwargs: Any,
    ) -> None:
        if page_size is None:
            page_size = ninja_settings.PAGINATION_PER_PAGE
        max_page = min(max_page, MAX_PAGE)
        max_page_size = min(max_page_size, MAX_PAGE_SIZE)
        super().__init__(
            page_size=min(page_size, max_page_size), max_page_size=max_page_size, **kwargs
        )
        self.Input = input_schema(max_page, max_page_size)

"""The shell: start page, privacy page, language switch and the API's own documentation pages."""

from .matrix import NOT_ALLOWED, Page, everyone

ROUTES = [
    Page("core:home", get=everyone(), post=NOT_ALLOWED),
    Page("core:privacy", get=everyone(), post=NOT_ALLOWED),
    # The language switch answers POST (and GET with a next address) for everybody.
    Page(
        "set_language",
        get=everyone(),
        post=everyone(),
        data=lambda w: {"language": "en", "next": "/"},
    ),
    Page("api:openapi-json", get=everyone(), post=NOT_ALLOWED),
    Page("api:openapi-view", get=everyone(), post=NOT_ALLOWED),
    Page("api:api-root", get=everyone(), post=NOT_ALLOWED),
]

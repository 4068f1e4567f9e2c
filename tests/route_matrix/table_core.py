"""The shell: start page, privacy, imprint and accessibility pages, language switch and the API's own documentation pages."""

from .matrix import HIDDEN, NOT_ALLOWED, Page, everyone

ROUTES = [
    Page("core:home", get=everyone(), post=NOT_ALLOWED),
    Page("core:privacy", get=everyone(), post=NOT_ALLOWED),
    # legal pages: Impressum (§ 5 DDG) and accessibility statement (BITV 2.0), read-only for all
    Page("core:imprint", get=everyone(), post=NOT_ALLOWED),
    Page("core:accessibility", get=everyone(), post=NOT_ALLOWED),
    # The language switch answers POST (and GET with a next address) for everybody.
    Page(
        "set_language",
        get=everyone(),
        post=everyone(),
        data=lambda w: {"language": "en", "next": "/"},
    ),
    # django-ninja's schema and docs views answer every method with the same read-only document.
    Page("api:openapi-json", get=everyone(), post=everyone()),
    Page("api:openapi-view", get=everyone(), post=everyone()),
    # /api/ itself has no page; the operations live below it.
    Page("api:api-root", get=HIDDEN, post=HIDDEN),
]

"""Helpers for paginated list pages (used with includes/pagination.html)."""


def query_without_page(request) -> str:
    """The current query string without `page`, ready for "?{{ query_without_page }}page=N"."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""

"""The route × role matrix: every page and API operation, for every role, GET and POST.

Each app declares its rows in ``tests/route_matrix/table_<app>.py`` (``build(world)`` adds the app's
objects, ``ROUTES`` lists the rows). ``test_matrix.py`` runs every cell and fails on any cell whose
outcome differs from the declaration, and on any route of the URL configuration or the API schema that
no table declares.

Outcomes, as the user meets them:

- ``OK``: the request passed the permission check (2xx, a redirect that is not to a login page, or a
  validation answer 400/409/422 for an empty or incomplete form);
- ``LOGIN``: sent to a login page (or 401 from the API);
- ``DENY``: 403; ``HIDDEN``: 404 (the object is not visible to this role);
- ``NOT_ALLOWED``: 405, the route does not take this method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

OK = "ok"
LOGIN = "login"
DENY = "deny"
HIDDEN = "404"
NOT_ALLOWED = "405"

ROLES = (
    "anonymous",
    "unconfirmed",
    "member",
    "org_admin",
    "manager_a",
    "manager_b",
    "revoked_manager",
    "juror",
    "platform_admin",
)

Expectation = dict  # role -> outcome


def _check_roles(names):
    unknown = set(names) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles in matrix declaration: {sorted(unknown)}")


def _table(default: str, anonymous: str, listed: tuple[str, ...], listed_outcome: str, overrides):
    _check_roles(listed)
    _check_roles(overrides)
    table = {role: default for role in ROLES}
    table["anonymous"] = anonymous
    for role in listed:
        table[role] = listed_outcome
    table.update(overrides)
    return table


def only(*roles: str, **overrides: str) -> Expectation:
    """The listed roles pass; anonymous visitors are sent to log in; every other role gets 403."""
    return _table(DENY, LOGIN, roles, OK, overrides)


def everyone(**overrides: str) -> Expectation:
    """Every role passes, visitors included."""
    return _table(OK, OK, (), OK, overrides)


def logged_in(**overrides: str) -> Expectation:
    """Every logged-in role passes; anonymous visitors are sent to log in."""
    return _table(OK, LOGIN, (), OK, overrides)


def nobody(**overrides: str) -> Expectation:
    """Nobody passes: visitors are sent to log in, every logged-in role gets 403."""
    return _table(DENY, LOGIN, (), OK, overrides)


def all_roles(outcome: str) -> Expectation:
    return {role: outcome for role in ROLES}


def _expectation(value) -> Expectation:
    if isinstance(value, str):
        return all_roles(value)
    if set(value) != set(ROLES):
        raise ValueError(f"An expectation must name every role, got {sorted(value)}")
    return value


@dataclass
class Page:
    """A named URL of the site, requested with GET and with POST."""

    name: str
    args: Callable | None = None
    get: Expectation | str = NOT_ALLOWED
    post: Expectation | str = NOT_ALLOWED
    data: Callable | None = None
    query: str = ""
    table: str = field(default="", compare=False)

    def __post_init__(self):
        self.get = _expectation(self.get)
        self.post = _expectation(self.post)

    @property
    def key(self) -> str:
        return self.name

    def requests(self):
        yield "GET", self.get
        yield "POST", self.post


@dataclass
class Api:
    """An operation of the REST API, named by its method and its path in the OpenAPI schema."""

    method: str
    path: str
    params: Callable | None = None
    expect: Expectation | str = NOT_ALLOWED
    body: Callable | None = None
    query: str = ""
    table: str = field(default="", compare=False)

    def __post_init__(self):
        self.method = self.method.upper()
        self.expect = _expectation(self.expect)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def requests(self):
        yield self.method, self.expect

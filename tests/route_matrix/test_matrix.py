"""Runs the route × role matrix declared in the ``table_*.py`` modules of this package.

One test per table: the world and the table's objects are built once, then every route is requested
by every role with GET and POST (or the API operation's method), each request in its own savepoint
that is rolled back, so no request sees another's writes. All cells that differ from the declaration
are reported together as a table.
"""

import importlib
import pkgutil
import re
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openregion.api import api

from . import matrix
from .world import build_world

TABLE_MODULES = sorted(
    name
    for _, name, _ in pkgutil.iter_modules([str(__import__("pathlib").Path(__file__).parent)])
    if name.startswith("table_")
)


def load_table(module_name):
    module = importlib.import_module(f"tests.route_matrix.{module_name}")
    for route in module.ROUTES:
        route.table = module_name
    return module


def all_routes():
    routes = []
    for name in TABLE_MODULES:
        routes.extend(load_table(name).ROUTES)
    return routes


# --- what exists -------------------------------------------------------------------------------

# Django's admin is one application with one rule (staff only); its routes are generated in
# table_admin.py from the admin site's registry rather than listed by hand.
ADMIN_NAMESPACE = "admin"


def named_url_patterns():
    """Every named URL of the site (namespace:name), and the unnamed patterns outside the admin."""
    named, unnamed = set(), set()

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(pattern.url_patterns, full_ns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if pattern.name:
                    named.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
                elif not route.startswith("admin/") and not route.startswith("^media/"):
                    unnamed.add(route)

    walk(get_resolver().url_patterns, None, "")
    return named, unnamed


def api_operations():
    schema = api.get_openapi_schema()
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.add(f"{method.upper()} {path}")
    return ops


# URL names under the "api" namespace are the API's operations, declared as Api rows by their path.
API_VIEW_NAMES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def test_every_route_and_api_operation_is_declared():
    declared = {route.key for route in all_routes()}
    named, unnamed = named_url_patterns()
    pages = {n for n in named if not n.startswith("api:") or n in API_VIEW_NAMES}
    missing_pages = sorted(pages - declared)
    missing_ops = sorted(api_operations() - declared)
    unknown = sorted(key for key in declared if key not in pages and key not in api_operations())
    assert not unnamed, f"URL patterns without a name cannot be declared: {sorted(unnamed)}"
    assert not missing_pages, f"Routes without a row in the matrix: {missing_pages}"
    assert not missing_ops, f"API operations without a row in the matrix: {missing_ops}"
    assert not unknown, f"Rows for routes that do not exist: {unknown}"


# --- running the cells -------------------------------------------------------------------------

LOGIN_PATHS = re.compile(r"^(/en)?/(accounts|admin)/login/")


def classify(response) -> str:
    status = response.status_code
    if status == 401:
        return matrix.LOGIN
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response.get("Location", "")).path
        return matrix.LOGIN if LOGIN_PATHS.match(location) else matrix.OK
    if status == 403:
        return matrix.DENY
    if status == 404:
        return matrix.HIDDEN
    if status == 405:
        return matrix.NOT_ALLOWED
    if status < 300 or status in (400, 409, 413, 422):
        return matrix.OK
    return f"HTTP {status}"


def _url(route, world) -> str:
    if isinstance(route, matrix.Page):
        args = route.args(world) if route.args else []
        return reverse(route.name, args=args) + route.query
    params = route.params(world) if route.params else {}
    path = route.path
    for key, value in params.items():
        path = path.replace("{" + key + "}", str(value))
    return path + route.query


def request_cell(route, world, role, method) -> str:
    client = Client(raise_request_exception=True)
    user = world.users[role]
    with transaction.atomic():
        try:
            if user is not None:
                client.force_login(user)
            url = _url(route, world)
            if isinstance(route, matrix.Api):
                body = route.body(world) if route.body else None
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.generic(
                        method,
                        url,
                        data=__import__("json").dumps(body if body is not None else {}),
                        content_type="application/json",
                    )
            elif method == "GET":
                response = client.get(url)
            else:
                data = route.data(world) if route.data else {}
                response = client.post(url, data)
            outcome = classify(response)
        except Exception as exc:  # noqa: BLE001 - a crash is a cell result, reported with the rest
            outcome = f"error {type(exc).__name__}: {str(exc)[:80]}"
        finally:
            transaction.set_rollback(True)
    return outcome


def run_table(module_name):
    module = load_table(module_name)
    world = build_world()
    if hasattr(module, "build"):
        module.build(world)
    mismatches, cells = [], 0
    for route in module.ROUTES:
        for method, expectation in route.requests():
            for role in matrix.ROLES:
                cells += 1
                got = request_cell(route, world, role, method)
                if got != expectation[role]:
                    mismatches.append((route.key, method, role, expectation[role], got))
    return cells, mismatches


def format_mismatches(mismatches) -> str:
    lines = [f"{'route':45} {'method':6} {'role':16} {'expected':9} got"]
    for key, method, role, expected, got in mismatches:
        lines.append(f"{key:45} {method:6} {role:16} {expected:9} {got}")
    return "\n".join(lines)


@pytest.mark.django_db
@pytest.mark.parametrize("module_name", TABLE_MODULES)
def test_route_matrix(module_name):
    cells, mismatches = run_table(module_name)
    assert cells > 0
    assert not mismatches, (
        f"{len(mismatches)} of {cells} cells differ from the declaration:\n"
        + format_mismatches(mismatches)
    )

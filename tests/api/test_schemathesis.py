"""Schemathesis against the whole REST API, in-process: no HTTP 500 for any generated request.

The OpenAPI schema is loaded from the Django WSGI application itself (no server, no network), on a
small seeded world (a cluster, organisations, a published call with ideas, postings, a service, a
survey, events). Every operation is run with schemathesis' coverage phase (boundary and invalid
values, deterministic) and a bounded, derandomized fuzzing phase (no shrinking), once anonymously and
once as a logged-in member (session cookie and CSRF token). Only the `not_a_server_error` check is
applied: other checks (schema conformance of every answer) would be flaky here and are covered by
the apps' own API tests. Runs on SQLite and PostgreSQL, like the rest of the suite.
"""

import socket
import traceback

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import load_all_checks, not_a_server_error
from schemathesis.pytest.lazy import get_all_tests

from actors.models import ClusterRole
from events.models import Registration
from matching.models import Visibility
from openregion.wsgi import application
from services.models import Survey
from tests.events.factories import BrokerageEventFactory, EventFactory, RegistrationFactory
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.ideas.factories import CallFactory, IdeaFactory
from tests.matching.factories import PostingFactory
from tests.services.factories import ServiceFactory, SurveyFactory, add_questions

# Generated examples per operation in the fuzzing phase (the coverage phase adds its own bounded,
# deterministic set): 25 operations, about 1,500 requests per role, ~35 s CPU for both on SQLite.
MAX_EXAMPLES = 15
SEED = 20_261_203
CSRF_SECRET = "openregionschemathesiscsrftoken1"  # 32 characters, Django's unmasked secret format

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing example is reported
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@pytest.fixture
def no_network(monkeypatch):
    """Nothing in this test may open a socket (database drivers use their own C sockets)."""

    def refuse(*args, **kwargs):
        raise RuntimeError("The schemathesis test must not reach the network.")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def world(db, settings, no_network):
    settings.OPENREGION_TEXT_ENCODER = "hashing"  # no model download for semantic search
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DEBUG = False
    cluster = ClusterFactory()
    other_cluster = ClusterFactory()
    org = MembershipFactory(cluster=cluster).organisation
    other_org = MembershipFactory(cluster=other_cluster).organisation
    OrganisationFactory()
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=org
    ).user
    PersonFactory(organisation=org, user=member)
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    call = CallFactory(organiser=org)
    ideas = IdeaFactory.create_batch(3, call=call)
    postings = [
        PostingFactory(organisation=org),
        PostingFactory(organisation=other_org),
        PostingFactory(organisation=other_org, visibility=Visibility.ANONYMOUS),
    ]
    service = ServiceFactory(cluster=cluster)
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN)
    add_questions(survey)
    event = EventFactory(cluster=cluster)
    brokerage = BrokerageEventFactory(cluster=cluster)
    RegistrationFactory(event=event, user=member)
    RegistrationFactory(event=brokerage, user=member, state=Registration.State.REGISTERED)
    return {
        "member": member,
        "slugs": [
            org.slug,
            other_org.slug,
            cluster.slug,
            call.slug,
            service.slug,
            event.slug,
            brokerage.slug,
        ],
        "ids": [p.pk for p in postings]
        + [i.pk for i in ideas]
        + [survey.pk, member.pk, manager.pk, UserFactory().pk],
        "organisations": [org.slug, other_org.slug],
    }


@pytest.fixture
def api_schema(world, in_process_requests):
    """The schema as the application serves it, with the world's slugs and ids as dictionaries, so
    that about half of the generated requests reach real objects."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "dictionaries": {
                "slugs": {"values": world["slugs"]},
                "ids": {"values": world["ids"]},
                "organisations": {"values": world["organisations"]},
            },
            "parameters": {
                "path.slug": {"dictionary": "slugs", "probability": 0.5},
                "path.posting_id": {"dictionary": "ids", "probability": 0.5},
                "path.survey_id": {"dictionary": "ids", "probability": 0.5},
                "query.user_id": {"dictionary": "ids", "probability": 0.5},
                "query.cluster": {"dictionary": "slugs", "probability": 0.3},
                "body.organisation": {"dictionary": "organisations", "probability": 0.5},
            },
        }
    )
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=config)


@pytest.fixture
def member_cookies(world, client):
    client.force_login(world["member"])
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}


@pytest.fixture
def in_process_requests():
    """Requests through the WSGI handler share the test's database connection and transaction;
    Django's test client disconnects the same handlers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def run_every_operation(api_schema, **call_kwargs) -> dict:
    """Run each operation's coverage and fuzzing cases; return the figures and the server errors."""
    load_all_checks()
    figures = {"operations": 0, "requests": 0, "server_errors": {}}
    tracebacks = []

    def record_exception(sender, request=None, **kwargs):
        tracebacks.append(traceback.format_exc())

    def check(case):
        figures["requests"] += 1
        response = case.call(**call_kwargs)
        case.validate_response(response, checks=[not_a_server_error])

    signals.got_request_exception.connect(record_exception)
    try:
        for result in get_all_tests(
            schema=api_schema, test_func=check, settings=HYPOTHESIS, given_kwargs=None
        ):
            operation, test = result.ok()
            figures["operations"] += 1
            tracebacks.clear()
            try:
                test()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported below
                detail = str(exc)
                if tracebacks:
                    detail += "\n" + tracebacks[-1]
                figures["server_errors"][operation.label] = detail
    finally:
        signals.got_request_exception.disconnect(record_exception)
    return figures


def _report(figures) -> str:
    print(  # shown with -s: the figures of the run
        f"schemathesis: {figures['operations']} operations, {figures['requests']} requests, "
        f"{len(figures['server_errors'])} with a server error"
    )
    return "\n\n".join(f"{label}:\n{detail}" for label, detail in figures["server_errors"].items())


def test_no_server_error_anonymously(api_schema):
    figures = run_every_operation(api_schema)
    report = _report(figures)
    assert figures["operations"] >= 20
    assert figures["server_errors"] == {}, report


def test_no_server_error_as_a_member(api_schema, member_cookies):
    figures = run_every_operation(
        api_schema, cookies=member_cookies, headers={"X-CSRFToken": CSRF_SECRET}
    )
    report = _report(figures)
    assert figures["operations"] >= 20
    assert figures["server_errors"] == {}, report

import pytest
from django.utils import translation

from actors.models import ClusterRole
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (browser, concurrency) flush the database after each test, which removes the
    NACE/NUTS/competence vocabularies the migrations loaded; reload them when they are gone."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from actors.models import Competence, NaceSector, NutsRegion
        from actors.reference_data import load_reference_data

        if not NutsRegion.objects.exists():
            load_reference_data(NaceSector, NutsRegion, Competence)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Factories and demo builders create many users; the production hasher would dominate test time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _german_default():
    translation.activate("de")
    yield
    translation.deactivate()


@pytest.fixture
def cluster(db):
    return ClusterFactory()


@pytest.fixture
def member_org(cluster):
    return MembershipFactory(cluster=cluster).organisation


@pytest.fixture
def users(cluster, member_org):
    """One user per role in `cluster`, plus an outsider and a platform admin."""
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    org_admin = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_ORG_ADMIN, organisation=member_org
    ).user
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=member_org
    ).user
    return {
        "manager": manager,
        "org_admin": org_admin,
        "member": member,
        "outsider": UserFactory(),
        "platform_admin": UserFactory(is_superuser=True, is_staff=True),
        "anonymous": None,
    }


@pytest.fixture
def client_for(client):
    def login_as(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login_as


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture(autouse=True)
def _rate_limits_off(settings):
    """Rate limits are proven in their own tests (which use the `rate_limits` fixture); elsewhere many
    requests by one user are normal."""
    settings.OPENREGION_RATE_LIMITS_ENABLED = False


@pytest.fixture
def rate_limits(settings):
    """Switch rate limits on, with empty counters."""
    from django.core.cache import cache

    cache.clear()
    settings.OPENREGION_RATE_LIMITS_ENABLED = True
    yield settings
    cache.clear()


@pytest.fixture(autouse=True)
def _login_lockout_off(settings):
    """The failed-login lockout (django-axes) is proven in its own tests (which use the
    `login_lockout` fixture); elsewhere a wrong password now and then must not lock anybody out."""
    settings.AXES_ENABLED = False


@pytest.fixture
def login_lockout(settings):
    """Switch the failed-login lockout on (failures live in the test database, rolled back)."""
    settings.AXES_ENABLED = True
    return settings

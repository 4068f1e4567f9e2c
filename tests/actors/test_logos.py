"""Organisation and cluster logos: content checks, re-encoding, thumbnails, serving, rights."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from actors.models import Cluster, ClusterRole, Organisation
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt="PNG", size=(400, 200), color=(200, 30, 30), **save_kwargs) -> bytes:
    out = io.BytesIO()
    mode = "RGB" if fmt == "JPEG" else "RGBA"
    Image.new(mode, size, color).save(out, fmt, **save_kwargs)
    return out.getvalue()


def upload(data: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def org_data(org: Organisation, **extra) -> dict:
    data = {
        "name": org.name,
        "helix_type": org.helix_type,
        "region": org.region_id,
        "city": org.city,
        "description_de": org.description_de,
        "description_en": org.description_en,
    }
    data.update(extra)
    return data


def cluster_data(cluster: Cluster, **extra) -> dict:
    data = {
        "name": cluster.name,
        "innovation_field": cluster.innovation_field,
        "region": cluster.region_id,
        "profile_de": cluster.profile_de,
    }
    data.update(extra)
    return data


@pytest.fixture
def org_admin(client):
    organisation = OrganisationFactory(name="Logo Werk GmbH")
    user = UserFactory()
    PersonFactory(organisation=organisation, user=user, is_admin=True)
    client.force_login(user)
    return organisation


def post_org(client, organisation, **extra):
    return client.post(
        reverse("actors:organisation_edit", args=[organisation.slug]),
        org_data(organisation, **extra),
    )


def stored_files(media_root) -> list[Path]:
    return sorted(p for p in Path(media_root).rglob("*") if p.is_file())


def test_png_upload_is_stored_with_a_small_thumbnail(
    client, org_admin, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_org(client, org_admin, logo_upload=upload(image_bytes(size=(900, 300))))
    assert response.status_code == 302
    org_admin.refresh_from_db()
    assert org_admin.logo.name.endswith(".png")
    with Image.open(org_admin.logo_thumb.path) as thumb:
        assert thumb.format == "PNG"
        assert max(thumb.size) <= 160
    with Image.open(org_admin.logo.path) as full:
        assert full.size == (900, 300)
    assert len(stored_files(media_root)) == 2


@pytest.mark.parametrize(
    ("fmt", "name", "extension"),
    [("JPEG", "photo.jpg", ".jpg"), ("WEBP", "bild.webp", ".webp"), ("PNG", "bild.png", ".png")],
)
def test_reencoding_strips_metadata(client, org_admin, fmt, name, extension):
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif.get_ifd(0x8825)[1] = "N"  # GPSLatitudeRef
    extra = {"exif": exif.tobytes()}
    if fmt in ("JPEG", "WEBP"):
        extra["xmp"] = b"<x:xmpmeta>secret-xmp-location</x:xmpmeta>"
    data = image_bytes(fmt, size=(300, 300), **extra)
    # The upload does carry the metadata.
    assert b"secret description" in data
    assert "xmp" not in extra or b"secret-xmp-location" in data
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif()
    post_org(client, org_admin, logo_upload=upload(data, name, "image/whatever"))
    org_admin.refresh_from_db()
    assert org_admin.logo.name.endswith(extension)
    with Image.open(org_admin.logo.path) as stored:
        assert stored.format == fmt
        assert not stored.getexif()
    stored_bytes = Path(org_admin.logo.path).read_bytes()
    assert b"secret description" not in stored_bytes
    assert b"secret-xmp-location" not in stored_bytes


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"just some text, not a picture\n" * 10, "logo.png"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            "logo.svg",
        ),
        (image_bytes("GIF", size=(50, 50)), "logo.gif"),
    ],
    ids=["text-renamed-png", "svg", "gif"],
)
def test_non_images_and_other_formats_are_refused(client, org_admin, media_root, data, name):
    response = post_org(client, org_admin, logo_upload=upload(data, name))
    assert response.status_code == 200
    errors = response.context["form"].errors["logo_upload"]
    assert errors == ["Diese Datei ist kein Bild im Format PNG, JPEG oder WebP."]
    assert "Diese Datei ist kein Bild" in response.content.decode()
    org_admin.refresh_from_db()
    assert not org_admin.logo and not org_admin.logo_thumb
    assert stored_files(media_root) == []


def test_oversized_dimensions_are_refused_before_decoding(client, org_admin, media_root):
    # A tiny file (one colour compresses well) that claims 4001 × 20 pixels.
    response = post_org(client, org_admin, logo_upload=upload(image_bytes(size=(4001, 20))))
    assert response.status_code == 200
    assert response.context["form"].errors["logo_upload"] == [
        "Das Logo ist zu groß: höchstens 4000 × 4000 Pixel, bitte."
    ]
    org_admin.refresh_from_db()
    assert not org_admin.logo
    assert stored_files(media_root) == []


def test_files_over_two_megabytes_are_refused(client, org_admin, media_root):
    data = image_bytes(size=(10, 10)) + b"\0" * (2 * 1024 * 1024)
    response = post_org(client, org_admin, logo_upload=upload(data))
    assert response.context["form"].errors["logo_upload"] == [
        "Das Logo ist zu groß: höchstens 2 MB, bitte."
    ]
    assert stored_files(media_root) == []


def test_replacing_and_removing_delete_the_old_files(
    client, org_admin, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_org(client, org_admin, logo_upload=upload(image_bytes(color=(0, 0, 255))))
    org_admin.refresh_from_db()
    first = [Path(org_admin.logo.path), Path(org_admin.logo_thumb.path)]
    assert all(p.exists() for p in first)

    with django_capture_on_commit_callbacks(execute=True):
        post_org(client, org_admin, logo_upload=upload(image_bytes("WEBP"), "neu.webp"))
    org_admin.refresh_from_db()
    second = [Path(org_admin.logo.path), Path(org_admin.logo_thumb.path)]
    assert org_admin.logo.name.endswith(".webp")
    assert not any(p.exists() for p in first)
    assert stored_files(media_root) == sorted(second)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_org(client, org_admin, remove_logo="on")
    assert response.status_code == 302
    org_admin.refresh_from_db()
    assert not org_admin.logo and not org_admin.logo_thumb
    assert stored_files(media_root) == []


def test_a_member_who_is_not_the_organisations_admin_cannot_upload(client, media_root):
    cluster = ClusterFactory()
    organisation = MembershipFactory(cluster=cluster).organisation
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=organisation
    ).user
    PersonFactory(organisation=organisation, user=member, is_admin=False)
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    for user in (member, manager):
        client.force_login(user)
        response = post_org(client, organisation, logo_upload=upload(image_bytes()))
        assert response.status_code == 403
    organisation.refresh_from_db()
    assert not organisation.logo
    assert stored_files(media_root) == []


def test_cluster_office_uploads_a_cluster_logo_others_cannot(client, media_root):
    cluster = ClusterFactory()
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    url = reverse("actors:cluster_edit", args=[cluster.slug])
    client.force_login(UserFactory())
    assert (
        client.post(url, cluster_data(cluster, logo_upload=upload(image_bytes()))).status_code
        == 403
    )
    client.force_login(manager)
    response = client.post(url, cluster_data(cluster, logo_upload=upload(image_bytes())))
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.logo and cluster.logo_thumb
    page = client.get(cluster.get_absolute_url()).content.decode()
    logo_url = reverse("actors:cluster_logo", args=[cluster.slug])
    assert f'src="{logo_url}?size=thumb"' in page
    assert f'alt="{cluster.name} Logo"' in page
    response = client.get(logo_url)
    assert response["Content-Type"] == "image/png"


def test_logo_view_serves_the_stored_format_with_nosniff(client, org_admin):
    post_org(client, org_admin, logo_upload=upload(image_bytes()))
    client.logout()  # profiles are public: so are their logos
    url = reverse("actors:organisation_logo", args=[org_admin.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(body)) as served:
        assert served.format == "PNG" and served.size == (400, 200)
    thumb = client.get(url, {"size": "thumb"})
    assert thumb["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as served:
        assert max(served.size) <= 160
    assert client.post(url).status_code == 405


def test_jpeg_logo_is_served_as_jpeg(client, org_admin):
    post_org(client, org_admin, logo_upload=upload(image_bytes("JPEG"), "a.jpg", "image/jpeg"))
    response = client.get(reverse("actors:organisation_logo", args=[org_admin.slug]))
    assert response["Content-Type"] == "image/jpeg"


def test_no_logo_gives_404_and_no_image_on_the_page(client):
    organisation = OrganisationFactory()
    cluster = ClusterFactory()
    assert (
        client.get(reverse("actors:organisation_logo", args=[organisation.slug])).status_code == 404
    )
    assert client.get(reverse("actors:cluster_logo", args=[cluster.slug])).status_code == 404
    assert (
        client.get(reverse("actors:organisation_logo", args=["gibt-es-nicht"])).status_code == 404
    )
    assert "profile-logo" not in client.get(organisation.get_absolute_url()).content.decode()
    assert "profile-logo" not in client.get(cluster.get_absolute_url()).content.decode()


def test_logo_file_missing_on_disk_is_404_not_500(client, org_admin):
    post_org(client, org_admin, logo_upload=upload(image_bytes()))
    org_admin.refresh_from_db()
    Path(org_admin.logo.path).unlink()
    response = client.get(reverse("actors:organisation_logo", args=[org_admin.slug]))
    assert response.status_code == 404


def test_organisation_page_shows_the_logo_with_alt_text(client, org_admin):
    post_org(client, org_admin, logo_upload=upload(image_bytes()))
    page = client.get(org_admin.get_absolute_url()).content.decode()
    logo_url = reverse("actors:organisation_logo", args=[org_admin.slug])
    assert f'src="{logo_url}?size=thumb" alt="Logo Werk GmbH Logo"' in page


def test_directory_with_logos_does_not_query_per_row(
    client, django_assert_max_num_queries, media_root
):
    from actors import logos

    processed = logos.process_upload(upload(image_bytes()))
    for _ in range(20):
        logos.store_logo(OrganisationFactory(), processed)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("actors:organisation_list"))
    page = response.content.decode()
    assert page.count('class="profile-logo"') == 20
    assert page.count(' Logo"') >= 20

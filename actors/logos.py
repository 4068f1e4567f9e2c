"""Organisation and cluster logos: checked by content, re-encoded, thumbnailed, served by a view.

An upload is opened with Pillow (its name and declared type are ignored); only PNG, JPEG and WebP
pictures up to MAX_BYTES and MAX_SIDE × MAX_SIDE pixels are accepted. The stored files are always
re-encoded by us — which drops metadata such as EXIF GPS positions — under a random name whose
extension names the format we wrote, so the serving view knows the Content-Type.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
THUMB_SIDE = 160
# Pillow format name → (file extension, Pillow save format)
ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


@dataclass(frozen=True)
class ProcessedLogo:
    extension: str
    full: bytes
    thumb: bytes


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=90)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def process_upload(upload) -> ProcessedLogo:
    """Check an uploaded file by its content and re-encode it; ValidationError when refused."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise forms.ValidationError(
            _("The logo is too large: at most 2 MB, please."), code="too_large"
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise forms.ValidationError(
            _("The logo is too large: at most 2 MB, please."), code="too_large"
        )
    not_an_image = forms.ValidationError(
        _("This file is not a picture in PNG, JPEG or WebP format."), code="invalid_image"
    )
    too_many_pixels = forms.ValidationError(
        _("The logo is too big: at most %(max)s × %(max)s pixels, please."),
        code="too_many_pixels",
        params={"max": MAX_SIDE},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt not in ALLOWED_FORMATS:
                raise not_an_image
            # The header tells the size before any pixel is decoded: refuse huge pictures first.
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise too_many_pixels
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            # Only pixels travel on: no EXIF, XMP, comments or profiles in what we write.
            image = image.copy()
            image.info = {}
            full = _encode(image, fmt)
            # A square thumbnail (the logo centred on transparent ground): pages can reserve its
            # box with width/height attributes and nothing gets stretched.
            thumb_image = ImageOps.pad(
                image.convert("RGBA"), (THUMB_SIDE, THUMB_SIDE), color=(255, 255, 255, 0)
            )
            thumb = _encode(thumb_image, "PNG")
    except forms.ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels from exc
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        raise not_an_image from exc
    return ProcessedLogo(extension=ALLOWED_FORMATS[fmt], full=full, thumb=thumb)


def logo_upload_to(instance, filename):
    return f"logos/{instance._meta.model_name}/{filename}"


def _delete_files(storage, names):
    for name in names:
        if name:
            storage.delete(name)


def store_logo(obj, processed: ProcessedLogo) -> None:
    """Give `obj` (Organisation or Cluster) a new logo; the old files go once the change commits."""
    old = [obj.logo.name, obj.logo_thumb.name]
    storage = obj.logo.storage
    token = secrets.token_hex(8)
    obj.logo.save(
        f"{obj.pk}-{token}.{processed.extension}", ContentFile(processed.full), save=False
    )
    obj.logo_thumb.save(f"{obj.pk}-{token}-thumb.png", ContentFile(processed.thumb), save=False)
    type(obj).objects.filter(pk=obj.pk).update(logo=obj.logo.name, logo_thumb=obj.logo_thumb.name)
    transaction.on_commit(lambda: _delete_files(storage, old))


def remove_logo(obj) -> None:
    old = [obj.logo.name, obj.logo_thumb.name]
    if not any(old):
        return
    storage = obj.logo.storage
    obj.logo = ""
    obj.logo_thumb = ""
    type(obj).objects.filter(pk=obj.pk).update(logo="", logo_thumb="")
    transaction.on_commit(lambda: _delete_files(storage, old))


def apply_form(obj, cleaned_data) -> None:
    """Store or remove the logo as the LogoFields of a saved form ask."""
    processed = cleaned_data.get("logo_processed")
    if processed is not None:
        store_logo(obj, processed)
    elif cleaned_data.get("remove_logo"):
        remove_logo(obj)


def content_type(name: str) -> str | None:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None

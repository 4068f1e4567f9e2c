from django.db import models


def https_by_default(db_field, **kwargs):
    """Model form fields as usual, but a web address typed without a scheme gets https://.

    Use as `formfield_callback` in a ModelForm's Meta."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)

from django.db import migrations


def load(apps, schema_editor):
    from actors.reference_data import load_reference_data

    load_reference_data(
        apps.get_model("actors", "NaceSector"),
        apps.get_model("actors", "NutsRegion"),
        apps.get_model("actors", "Competence"),
    )


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_seed_frameworks")]

    operations = []

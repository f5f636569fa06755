from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_observations_and_feedback")]

    operations = []

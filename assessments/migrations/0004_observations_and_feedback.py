from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_evidence")]

    operations = []

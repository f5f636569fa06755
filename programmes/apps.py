from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_revision_triggers(sender, using: str = "default", **kwargs) -> None:
    # After every migrate and flush: a table SQLite rebuilt to alter a column lost its triggers.
    from django.db import connections

    from programmes.revisions import install_triggers

    install_triggers(connections[using])


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        # Subject access and retention: what programmes hold about a person, and its scrubbing.
        from programmes.privacy import register_programme_sections

        register_programme_sections()
        post_migrate.connect(
            _install_revision_triggers, sender=self, dispatch_uid="programmes-revisions"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        # Subject access and retention: what programmes hold about a person, and its scrubbing.
        from programmes.privacy import register_programme_sections

        register_programme_sections()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Subject access and retention: what supervision holds about a person, and its scrubbing.
        from supervision.privacy import register_supervision_sections

        register_supervision_sections()

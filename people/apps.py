from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Subject access: people's own sections of the export (other apps add theirs).
        from people.privacy import register_people_sections

        register_people_sections()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from assessments import signals  # noqa: F401 - connects the receivers
        from assessments.privacy import register_assessment_sections

        # Subject access and retention: the completion records' copies of a name and number.
        register_assessment_sections()

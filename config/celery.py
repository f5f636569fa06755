"""The Celery app. Options come from Django settings (CELERY_*); the beat schedule lives here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("footing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Review reminders live in assessments/review_tasks.py, beside the other assessment tasks.
app.autodiscover_tasks(related_name="review_tasks")

# Europe/London (CELERY_TIMEZONE). Later issues add their jobs here, each idempotent.
app.conf.beat_schedule = {
    # 1st of the month, 02:30: who is past RETENTION_YEARS. A dry-run report unless
    # RETENTION_AUTO_APPLY is true, since anonymising cannot be undone (programmes/tasks.py).
    "privacy-retention": {
        "task": "programmes.tasks.run_retention",
        "schedule": crontab(minute="30", hour="2", day_of_month="1"),
    },
    # Daily: a breach of a protected caseload is seen the day its figure arrives (imports also
    # queue detection at once); a breach past its plan date goes to the programme leads.
    "caseload-breaches": {
        "task": "programmes.tasks.detect_caseload_breaches_task",
        "schedule": crontab(minute="0", hour="6"),
    },
    "caseload-breach-escalation": {
        "task": "programmes.tasks.escalate_caseload_breaches_task",
        "schedule": crontab(minute="0", hour="7"),
    },
    # Notifications: the rows are the promise; this sweep sends whatever is still pending.
    "deliver-notifications": {
        "task": "people.tasks.deliver_notifications",
        "schedule": crontab(minute="*"),
    },
    "daily-digests": {
        "task": "people.tasks.send_daily_digests_task",
        "schedule": crontab(minute="30", hour="7"),
    },
    # Reminders. Each subject key names its period, so a rerun sends nothing twice.
    "supervision-reminders": {
        "task": "supervision.tasks.send_supervision_reminders",
        "schedule": crontab(minute="0", hour="7"),
    },
    "learning-agreement-reminders": {
        "task": "programmes.tasks.send_learning_agreement_reminders",
        "schedule": crontab(minute="5", hour="7"),
    },
    "open-breach-reminders": {
        "task": "programmes.tasks.send_open_breach_reminders",
        "schedule": crontab(minute="10", hour="7"),
    },
    # The 2nd, not the 1st: learning logged late on the last day of the month still counts.
    "protected-time-reminders": {
        "task": "programmes.tasks.send_protected_time_reminders",
        "schedule": crontab(minute="15", hour="7", day_of_month="2"),
    },
    "review-reminders": {
        "task": "assessments.review_tasks.send_review_reminders",
        "schedule": crontab(minute="8", hour="7"),
    },
    "evidence-sign-off-reminders": {
        "task": "assessments.tasks.send_evidence_sign_off_reminders",
        "schedule": crontab(minute="25", hour="7"),
    },
    "manager-digests": {
        "task": "programmes.tasks.send_manager_digests",
        "schedule": crontab(minute="20", hour="7", day_of_week="mon"),
    },
    # Anything detection opened whose message was lost with a worker is still sent.
    "caseload-breach-notices": {
        "task": "programmes.tasks.notify_caseload_breaches_task",
        "schedule": crontab(minute="*/15"),
    },
}


@app.on_after_configure.connect
def _make_broker_folders(sender: Celery, **kwargs: object) -> None:
    """The file-system broker needs its folders before the first message is written."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)

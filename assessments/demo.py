"""The demo council's assessment records: a spread of progress, all written through the services.

Called by `manage.py seed_demo` once the enrolments, supervision and caseloads are in. The stories:
- Maya Collins (the December 2025 cohort) has a full year of signed-off, triangulated evidence and
  her 3, 6 and 9-month reviews; her final review point has come, so she awaits the final
  assessment, and then the moderation panel: the year can be walked to a moderated pass.
- Jordan Bell is ahead: observed, feedback from a parent and a colleague, most of it signed off.
- Alex Morgan (the browser journeys' worker) has a little of everything: items signed off, one
  awaiting sign-off for over two weeks, one returned with a comment, a draft, an observation
  to reflect on, and a feedback request still waiting.
- Ben Hughes is behind: one draft, nothing submitted.
- Kwame Asante has an open concern with an action plan, and his manager has been told.
- Everyone else has a reflection or two, some signed off.
Only enrolments with no evidence yet get any, so running the demo again adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Evidence, Progress, Statement
from assessments.selectors import framework_for
from assessments.services.evidence import create_evidence, submit_evidence
from assessments.services.feedback import create_feedback_request, give_feedback
from assessments.services.observations import record_observation, reflect_on_observation
from assessments.services.reviews import open_concern, record_review
from assessments.services.sign_offs import decide
from people.models import User
from people.working_days import add_working_days
from programmes.models import Enrolment
from programmes.rules import add_months

AHEAD = "worker2"  # Jordan Bell
JOURNEY = "worker"  # Alex Morgan
BEHIND = "worker5"  # Ben Hughes, also overdue for supervision
CONCERN = "worker7"  # Kwame Asante, whose caseload is over its cap
YEAR_END = "final1"  # Maya Collins

REFLECTIONS = [
    (
        "Home visit with a family new to the service",
        "I visited a mother and her two children with my supervisor after a referral from school.",
        "Explaining why we were there in plain words first made the rest of the visit calmer.",
        "Open each first visit by saying who I am, why I am there and what happens next.",
    ),
    (
        "Child protection conference",
        "I presented my assessment at an initial child protection conference.",
        "Writing the analysis before the chronology kept my report focused on risk and need.",
        "Share my report with the family two days before, as the procedure asks.",
    ),
    (
        "Direct work with a ten-year-old",
        "I used a three houses tool to hear what a child worries about at home.",
        "Drawing together gave him room to talk about his father without being asked outright.",
        "Plan direct work sessions around what the child enjoys, not the form I need to fill.",
    ),
    (
        "Supervision on a hard decision",
        "We discussed whether to step a case down to early help.",
        "Naming my own worry about getting it wrong helped separate feelings from evidence.",
        "Bring a short written analysis to supervision when a decision is finely balanced.",
    ),
    (
        "Working with a health visitor",
        "A joint visit with the health visitor about a baby's weight.",
        "Agreeing beforehand who would lead on which question avoided overwhelming the parents.",
        "Arrange a five-minute call before every joint visit.",
    ),
]
CASE_NOTES = [
    (
        "Case note: assessment visit",
        "Visited at 10:00. Both children seen alone and together. Home warm, food in the "
        "fridge. Mother reports support from her sister. Next visit agreed for Thursday.",
    ),
    (
        "Case note: strategy discussion",
        "Strategy discussion held with police and health. Threshold for section 47 enquiries "
        "met. Child to be seen today; medical arranged for 14:00.",
    ),
]
SETTINGS = ["a home visit", "a core group meeting", "a family group conference"]


def _statements(enrolment: Enrolment) -> list[Statement]:
    framework = framework_for(enrolment)
    if framework is None:
        return []
    return list(
        Statement.objects.filter(standard__framework=framework).order_by(
            "standard__position", "position"
        )
    )


def _login(enrolment: Enrolment) -> str:
    return enrolment.worker.email.split("@", 1)[0]


def _backdate(evidence: Evidence, day: date) -> None:
    """Submitted on the day the story says, not the moment the demo ran (the queue's age and the
    10-working-day reminder read it); nothing else about the record changes."""
    moment = timezone.make_aware(datetime.combine(day, time(16, 30)))
    Evidence.objects.filter(pk=evidence.pk).update(submitted_at=moment)


class _Story:
    def __init__(self, enrolment: Enrolment, *, today: date) -> None:
        self.enrolment = enrolment
        self.today = today
        self.worker: User = enrolment.worker
        self.assessor: User | None = enrolment.assessor
        self.statements = _statements(enrolment)
        self.rng = random.Random(f"assessments:{_login(enrolment)}")

    def day(self, weeks: int) -> date:
        """A working day about `weeks` weeks after the start, never after today."""
        return min(add_working_days(self.enrolment.started_on, weeks * 5), self.today)

    def pick(self, count: int, *, offset: int = 0) -> list[Statement]:
        if not self.statements:
            return []
        return [self.statements[(offset + i) % len(self.statements)] for i in range(count)]

    def _write(
        self, kind: str, *, title: str, on: date, statements: list[Statement], **text: str
    ) -> Evidence:
        return create_evidence(
            created_by=self.worker,
            enrolment=self.enrolment,
            kind=kind,
            title=title,
            occurred_on=on,
            statements=statements,
            **text,
        )

    def reflection(self, index: int, *, on: date, statements: list[Statement]) -> Evidence:
        title, happened, learned, will_do = REFLECTIONS[index % len(REFLECTIONS)]
        return self._write(
            Evidence.Kind.REFLECTION,
            title=title,
            on=on,
            statements=statements,
            what_happened=happened,
            what_i_learned=learned,
            what_i_will_do=will_do,
        )

    def case_note(self, index: int, *, on: date, statements: list[Statement]) -> Evidence:
        title, body = CASE_NOTES[index % len(CASE_NOTES)]
        return self._write(
            Evidence.Kind.CASE_NOTE, title=title, on=on, statements=statements, body=body
        )

    def submit(self, evidence: Evidence, *, on: date) -> Evidence:
        evidence = submit_evidence(submitted_by=self.worker, evidence=evidence)
        _backdate(evidence, on)
        return evidence

    def sign_off(self, evidence: Evidence, *, statements: Iterable[Statement] = ()) -> None:
        chosen = list(statements) or list(evidence.statements.all())
        decide(
            assessor=self.assessor,
            evidence=evidence,
            decision="signed-off",
            comment="Clear evidence of the standard; well reflected on.",
            statements=chosen,
        )

    def observation(self, *, on: date, observer: User, statements: list[Statement]) -> Evidence:
        judgements = {statement.pk: "meets" for statement in statements}
        unjudged = [s for s in self.statements if s.pk not in judgements]
        if unjudged:  # looked for and not seen, which is not the same as not judged
            judgements[unjudged[-1].pk] = "not-seen"
        evidence = record_observation(
            recorded_by=observer,
            enrolment=self.enrolment,
            occurred_on=on,
            setting=self.rng.choice(SETTINGS),
            what_was_observed=(
                "The worker led the meeting, checked the family understood each part of the "
                "plan, and summarised the actions agreed before closing."
            ),
            feedback="A warm, well-paced meeting. Next time, check in with the older child alone.",
            judgements=judgements,
        )
        _backdate(evidence, on)
        return evidence

    def feedback(self, *, giver: str, name: str, relationship: str, answer: bool) -> None:
        asked = create_feedback_request(
            requested_by=self.worker,
            enrolment=self.enrolment,
            giver=giver,
            recipient_name=name,
            about="the meetings we have had about your family's plan",
        )
        if answer:
            evidence = give_feedback(
                feedback_request=asked.feedback_request,
                relationship=relationship,
                what_went_well="They listened and explained what would happen next.",
                what_could_be_better="Sometimes visits were rearranged at short notice.",
            )
            self.sign_off(evidence, statements=self.pick(2, offset=1))


def _everyone(story: _Story) -> None:
    count = story.rng.randint(1, 2)
    for index in range(count):
        on = story.day(3 + 4 * index)
        evidence = story.reflection(index, on=on, statements=story.pick(1, offset=index))
        story.submit(evidence, on=on)
        if index == 0 and story.assessor is not None and story.rng.random() < 0.7:
            story.sign_off(evidence)


def _ahead(story: _Story) -> None:
    for index in range(3):
        on = story.day(2 + 3 * index)
        evidence = story.reflection(index, on=on, statements=story.pick(2, offset=index * 2))
        story.sign_off(story.submit(evidence, on=on))
    note = story.case_note(0, on=story.day(9), statements=story.pick(2))
    story.sign_off(story.submit(note, on=story.day(9)))
    observed = story.observation(
        on=story.day(10), observer=story.enrolment.supervisor, statements=story.pick(3)
    )
    reflect_on_observation(
        reflected_by=story.worker,
        evidence=observed,
        worker_reflection="Hearing how the meeting felt from outside helped me slow down.",
    )
    story.sign_off(observed)
    story.feedback(giver="person", name="Parent", relationship="Parent", answer=True)
    story.feedback(
        giver="professional", name="Health visitor", relationship="Health visitor", answer=True
    )


def _journey(story: _Story) -> None:
    first = story.reflection(0, on=story.day(2), statements=story.pick(2))
    story.sign_off(story.submit(first, on=story.day(2)))
    note = story.case_note(0, on=story.day(4), statements=story.pick(1, offset=5))
    story.sign_off(story.submit(note, on=story.day(4)))
    # Submitted over ten working days ago: the assessor's queue shows its age, and the reminder.
    waiting = story.reflection(1, on=story.day(6), statements=story.pick(1, offset=6))
    story.submit(waiting, on=add_working_days(story.today, -12))
    returned = story.reflection(2, on=story.day(8), statements=story.pick(1, offset=2))
    story.submit(returned, on=story.day(9))
    decide(
        assessor=story.assessor,
        evidence=returned,
        decision="returned",
        comment="Say more about what you will do differently, and link it to standard 3.",
    )
    story.reflection(3, on=story.day(11), statements=story.pick(1, offset=8))  # still a draft
    story.observation(
        on=story.day(10), observer=story.enrolment.supervisor, statements=story.pick(2, offset=3)
    )
    story.feedback(giver="person", name="Ms Green (mother)", relationship="Parent", answer=False)


def _behind(story: _Story) -> None:
    story.reflection(0, on=story.day(6), statements=[])


def _concern(story: _Story) -> None:
    _everyone(story)
    open_concern(
        opened_by=story.assessor,
        enrolment=story.enrolment,
        reason=(
            "Little evidence submitted by week 12, and the caseload has been over its protected "
            "cap for three weeks, leaving no time to write up practice."
        ),
        action_plan=(
            "Manager to bring the caseload back within the cap this week; two protected "
            "afternoons to write up two reflections; observation booked for next month."
        ),
        review_on=add_working_days(story.today, 15),
    )


def _year_end(story: _Story) -> None:
    """A full year: every statement triangulated, the minimums met, three reviews held."""
    observers = [story.enrolment.supervisor, story.enrolment.supervisor, story.assessor]
    for index, statement_group in enumerate(
        [story.statements[0:4], story.statements[4:8], story.statements[6:10]]
    ):
        on = story.day(10 + 12 * index)
        observed = story.observation(on=on, observer=observers[index], statements=statement_group)
        reflect_on_observation(
            reflected_by=story.worker,
            evidence=observed,
            worker_reflection="The feedback on pacing changed how I run family meetings.",
        )
        story.sign_off(observed)  # the assessor signs off an observation of their own too
    for index in range(5):
        on = story.day(4 + 9 * index)
        statements = story.statements[index * 2 : index * 2 + 2]
        story.sign_off(story.submit(story.reflection(index, on=on, statements=statements), on=on))
    for index in range(3):
        on = story.day(8 + 14 * index)
        note = story.case_note(index, on=on, statements=story.statements[index * 3 :][:4])
        story.sign_off(story.submit(note, on=on))
    for index in range(3):
        story.feedback(
            giver="person", name=f"Parent {index + 1}", relationship="Parent", answer=True
        )
        story.feedback(
            giver="professional",
            name=f"Colleague {index + 1}",
            relationship="Teacher" if index else "Health visitor",
            answer=True,
        )
    for months, held_on in ((3, 3), (6, 6), (9, 9)):
        record_review(
            recorded_by=story.assessor,
            enrolment=story.enrolment,
            months=months,
            held_on=add_months(story.enrolment.started_on, held_on),
            attendees="Maya Collins, David Mensah (assessor), Helen Carter (supervisor)",
            progress=Progress.ON_TRACK,
            summary="Progressing well against every standard; evidence is varied and reflective.",
            actions="Keep a balance of observed practice and written work.",
        )


STORIES = {AHEAD: _ahead, JOURNEY: _journey, BEHIND: _behind, CONCERN: _concern}


def seed_assessments(enrolments: QuerySet[Enrolment], *, today: date) -> None:
    """Evidence, sign-offs, observations, feedback, reviews and a concern for the demo."""
    for enrolment in enrolments.select_related("worker", "assessor", "supervisor").order_by("pk"):
        if Evidence.objects.filter(enrolment=enrolment).exists():
            continue
        story = _Story(enrolment, today=today)
        if not story.statements or story.assessor is None:
            continue
        login = _login(enrolment)
        if login == YEAR_END:
            _year_end(story)
        else:
            STORIES.get(login, _everyone)(story)

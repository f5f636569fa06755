"""Assessment records: frameworks, evidence and its sign-off, reviews, concerns, final decisions."""

from .completions import CompletionRecord
from .evidence import (
    Evidence,
    EvidenceStatement,
    FeedbackRequest,
    Observation,
    ObservationJudgement,
    SignOff,
)
from .frameworks import Framework, FrameworkPin, Standard, Statement, StatementMapping
from .reviews import (
    Concern,
    FinalAssessment,
    ModerationDecision,
    Progress,
    Recommendation,
    Review,
    StandardSummary,
)

__all__ = [
    "CompletionRecord",
    "Concern",
    "Evidence",
    "EvidenceStatement",
    "FeedbackRequest",
    "FinalAssessment",
    "Framework",
    "FrameworkPin",
    "ModerationDecision",
    "Observation",
    "ObservationJudgement",
    "Progress",
    "Recommendation",
    "Review",
    "SignOff",
    "Standard",
    "StandardSummary",
    "Statement",
    "StatementMapping",
]

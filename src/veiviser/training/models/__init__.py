"""The ALIS training record."""

from veiviser.training.models.goals import (
    Catalogue,
    CatalogueGoal,
    CatalogueMapping,
    Evidence,
    GoalAction,
    GoalEvent,
    GoalEventRole,
    GoalKind,
    GoalStatus,
    PlanGoal,
    RecommendationLink,
    TrainingPlan,
)
from veiviser.training.models.people import MentorKind, Mentorship, Scheme, Trainee
from veiviser.training.models.record import (
    Arena,
    Course,
    CourseKind,
    GroupSupervision,
    LeaveKind,
    LeavePeriod,
    ServicePeriod,
    SupervisionSession,
)

__all__ = [
    "Arena",
    "Catalogue",
    "CatalogueGoal",
    "CatalogueMapping",
    "Course",
    "CourseKind",
    "Evidence",
    "GoalAction",
    "GoalEvent",
    "GoalEventRole",
    "GoalKind",
    "GoalStatus",
    "GroupSupervision",
    "LeaveKind",
    "LeavePeriod",
    "MentorKind",
    "Mentorship",
    "PlanGoal",
    "RecommendationLink",
    "Scheme",
    "ServicePeriod",
    "SupervisionSession",
    "Trainee",
    "TrainingPlan",
]

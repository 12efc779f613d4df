from rest_framework.routers import DefaultRouter

from clients.api import ClientViewSet, ContactViewSet, EnrollmentViewSet
from referrals.api import (
    AgreementViewSet,
    ConsentViewSet,
    DisclosureViewSet,
    ProviderViewSet,
    ReferralViewSet,
)
from serviceplans.api import (
    AssessmentViewSet,
    BarrierViewSet,
    GoalViewSet,
    PlanActionViewSet,
    RiskScreenViewSet,
    ServicePlanViewSet,
)
from supervision.api import (
    FlagViewSet,
    FollowUpTaskViewSet,
    RegionalPlanViewSet,
    SupervisionNoteViewSet,
    VarianceViewSet,
)

router = DefaultRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("contacts", ContactViewSet, basename="contact")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("risk-screens", RiskScreenViewSet, basename="risk-screen")
router.register("plans", ServicePlanViewSet, basename="plan")
router.register("goals", GoalViewSet, basename="goal")
router.register("plan-actions", PlanActionViewSet, basename="plan-action")
router.register("barriers", BarrierViewSet, basename="barrier")
router.register("providers", ProviderViewSet, basename="provider")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("consents", ConsentViewSet, basename="consent")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("disclosures", DisclosureViewSet, basename="disclosure")
router.register("flags", FlagViewSet, basename="flag")
router.register("variances", VarianceViewSet, basename="variance")
router.register("regional-plans", RegionalPlanViewSet, basename="regional-plan")
router.register("supervision-notes", SupervisionNoteViewSet, basename="supervision-note")
router.register("follow-up-tasks", FollowUpTaskViewSet, basename="follow-up-task")
urlpatterns = router.urls

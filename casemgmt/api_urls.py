from rest_framework.routers import DefaultRouter

from clients.api.clients import ClientViewSet
from clients.api.enrollments import EnrollmentViewSet
from referrals.api.agreements import AgreementViewSet
from referrals.api.consents import ConsentViewSet
from referrals.api.disclosures import DisclosureViewSet
from referrals.api.providers import ProviderViewSet
from referrals.api.referrals import ReferralViewSet
from serviceplans.api.assessments import AssessmentViewSet
from serviceplans.api.barriers import BarrierViewSet
from serviceplans.api.goals import GoalViewSet, PlanActionViewSet
from serviceplans.api.plans import ServicePlanViewSet
from serviceplans.api.risk_screens import RiskScreenViewSet
from supervision.api import flags as supervision_flags
from supervision.api import notes as supervision_notes
from supervision.api import regional_plans as supervision_regional_plans
from supervision.api import variances as supervision_variances
from workspace.api.contacts import ContactViewSet

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
router.register("flags", supervision_flags.FlagViewSet, basename="flag")
router.register("variances", supervision_variances.VarianceViewSet, basename="variance")
router.register(
    "regional-plans", supervision_regional_plans.RegionalPlanViewSet, basename="regional-plan"
)
router.register(
    "supervision-notes", supervision_notes.SupervisionNoteViewSet, basename="supervision-note"
)
router.register("follow-up-tasks", supervision_notes.FollowUpTaskViewSet, basename="follow-up-task")
urlpatterns = router.urls

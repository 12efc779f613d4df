from rest_framework.routers import DefaultRouter

from clients.api import ClientViewSet, ContactViewSet, EnrollmentViewSet

router = DefaultRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("contacts", ContactViewSet, basename="contact")
urlpatterns = router.urls

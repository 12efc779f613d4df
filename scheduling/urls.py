from django.urls import path

from scheduling.views import feed, schedule, visits

app_name = "scheduling"

urlpatterns = [
    path("", schedule.schedule, name="schedule"),
    path("team/<int:pk>/", schedule.team_schedule, name="team_schedule"),
    path("visits/new/", visits.visit_plan, name="visit_plan"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/missed/", visits.visit_mark_missed, name="visit_mark_missed"),
    path("feed/", feed.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", feed.feed, name="feed"),
]

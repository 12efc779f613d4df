from django.urls import path

from quality.views import reviews, samples

app_name = "quality"

urlpatterns = [
    path("", samples.queue, name="queue"),
    path("samples/new/", samples.sample_draw, name="sample_draw"),
    path("samples/<int:pk>/", samples.sample_detail, name="sample_detail"),
    path("findings/", reviews.findings, name="findings"),
    path("trend/", reviews.trend, name="trend"),
    path("<int:pk>/", reviews.review_detail, name="review"),
    path("<int:pk>/actions/new/", reviews.action_add, name="action_add"),
    path("<int:pk>/return/", reviews.review_return, name="review_return"),
    path("<int:pk>/acknowledge/", reviews.review_acknowledge, name="review_acknowledge"),
    path("<int:pk>/rereview/", reviews.rereview, name="rereview"),
    path("actions/<int:pk>/done/", reviews.action_done, name="action_done"),
]

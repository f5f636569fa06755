"""Routes for reviews, concerns, the final assessment, moderation and the portfolio."""

from django.urls import path

from assessments.views import reviews as views

urlpatterns = [
    path("reviews/due/", views.reviews_due, name="reviews-due"),
    path("enrolments/<int:pk>/reviews/", views.review_list, name="review-list"),
    path("enrolments/<int:pk>/reviews/new/", views.review_create, name="review-create"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("enrolments/<int:pk>/concerns/new/", views.concern_create, name="concern-create"),
    path("concerns/<int:pk>/close/", views.concern_close, name="concern-close"),
    path(
        "enrolments/<int:pk>/final-assessment/",
        views.final_assessment_create,
        name="final-assessment-create",
    ),
    path("enrolments/<int:pk>/moderation/", views.moderation_create, name="moderation-create"),
    path("enrolments/<int:pk>/portfolio.pdf", views.portfolio_download, name="portfolio"),
]

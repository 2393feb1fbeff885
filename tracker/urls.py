from django.contrib import admin
from django.urls import include, path, register_converter

from tracker import views
from tracker.converters import IsoDateConverter

register_converter(IsoDateConverter, "date")

diary_patterns = (
    [
        path("", views.today, name="today"),
        path("<date:day>/", views.day, name="day"),
    ],
    "tracker",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("day/", include(diary_patterns)),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

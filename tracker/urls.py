from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from tracker import api, export, own_foods, tokens, views
from tracker.diary_days import IsoDateConverter
from tracker.forms import NewPasswordForm

register_converter(IsoDateConverter, "date")

diary_patterns = (
    [
        path("", views.today, name="today"),
        path("<date:day>/", views.day, name="day"),
        path("<date:day>/report/", views.report, name="report"),
        path("<date:day>/workout/", views.set_workout, name="set_workout"),
        path("<date:day>/entries/", views.add_entry, name="add_entry"),
        path("<date:day>/water/", views.add_water, name="add_water"),
        path("<date:day>/copy/", views.copy_entries, name="copy"),
        path("entries/<int:pk>/edit/", views.edit_entry, name="edit_entry"),
        path("entries/<int:pk>/delete/", views.delete_entry, name="delete_entry"),
    ],
    "tracker",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("day/", include(diary_patterns)),
    path("export/", export.export_page, name="export"),
    path("export/entries.csv", export.entries_csv, name="export_entries"),
    path("export/days.csv", export.days_csv, name="export_days"),
    path("api/", api.api.urls),
    path("foods/", own_foods.food_list, name="own_foods"),
    path("foods/new/", own_foods.food_create, name="own_food_create"),
    path("foods/<int:pk>/edit/", own_foods.food_edit, name="own_food_edit"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/tokens/new/", tokens.token_create, name="api_token_create"),
    path("accounts/tokens/<int:pk>/revoke/", tokens.token_revoke, name="api_token_revoke"),
    # Before django.contrib.auth's own, which it overrides only to lift a login lockout.
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

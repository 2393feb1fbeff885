from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from nutrients.admin import LabelledInlineFormSet
from tracker.account import erase_account
from tracker.models import (
    Cramp,
    DayTotal,
    Entry,
    Meal,
    Profile,
    Supplement,
    SupplementAmount,
    SupplementIntake,
)

# The site's name in the admin's header and tab titles, instead of "Django administration".
admin.site.site_header = "Cramp Tracker administration"
admin.site.site_title = "Cramp Tracker admin"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "time_zone")
    search_fields = ("user__username", "user__email")


class EntryInline(admin.TabularInline):
    model = Entry
    formset = LabelledInlineFormSet
    extra = 0
    raw_id_fields = ("food", "portion")


@admin.register(Meal)
class MealAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "slot")
    list_filter = ("slot",)
    search_fields = ("user__username",)
    date_hierarchy = "day"
    inlines = [EntryInline]

    # Staff adding, changing or deleting entries here: the days' stored totals follow,
    # in the admin's transaction (the day the meal was on, too, when it moved).
    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        meal = form.instance
        DayTotal.refresh(meal.user, [meal.day])
        before_user, before_day = form.initial.get("user"), form.initial.get("day")
        if change and (before_user, before_day) != (meal.user_id, meal.day):
            DayTotal.refresh(get_user_model()(pk=before_user), [before_day])

    def delete_model(self, request: HttpRequest, obj: Meal) -> None:
        user, day = obj.user, obj.day
        super().delete_model(request, obj)
        DayTotal.refresh(user, [day])

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        days = list(queryset.values_list("user_id", "day"))
        super().delete_queryset(request, queryset)
        for user_id, day in sorted(days):
            DayTotal.refresh(get_user_model()(pk=user_id), [day])


class AccountUserAdmin(UserAdmin):
    """The admin's user delete erases as "Delete my account" does: with their own foods
    and entries, sessions and login-throttling records (tracker/account.py).

    Groups and permissions are plain lists (the two-box widget's script names its search
    boxes in a way screen readers cannot use); the dates of joining and last login are
    records, not for editing."""

    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")

    def delete_model(self, request: HttpRequest, obj) -> None:
        erase_account(obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for user in queryset:
            erase_account(user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountUserAdmin)


# --- The cramp diary ----------------------------------------------------------------------


@admin.register(Cramp)
class CrampAdmin(admin.ModelAdmin):
    list_display = ("user", "started_at", "day", "muscle", "severity", "duration_minutes")
    list_filter = ("muscle", "activity")
    search_fields = ("user__username",)
    date_hierarchy = "day"
    raw_id_fields = ("user",)


class SupplementAmountInline(admin.TabularInline):
    model = SupplementAmount
    formset = LabelledInlineFormSet
    extra = 0


@admin.register(Supplement)
class SupplementAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "owner")
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)
    inlines = [SupplementAmountInline]


@admin.register(SupplementIntake)
class SupplementIntakeAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "supplement", "count")
    search_fields = ("user__username", "supplement__name")
    date_hierarchy = "day"
    raw_id_fields = ("user", "supplement")

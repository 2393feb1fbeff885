"""Cramps noted "asleep or resting at night" from 06:00 to noon belong to the night
before (the night rule of the cramp diary); before, only those before 06:00 did. Their
stored day moves back one, in the user's time zone as when they were logged."""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import migrations

# This migration's own copy of the rule (cramp_models.ASLEEP_NIGHT_ENDS_HOUR), as
# migrations keep theirs.
NIGHT_ENDS_HOUR = 6
ASLEEP_NIGHT_ENDS_HOUR = 12


def move_late_night_cramps(apps, schema_editor):
    Cramp = apps.get_model("tracker", "Cramp")
    Profile = apps.get_model("tracker", "Profile")
    zones = dict(Profile.objects.values_list("user_id", "time_zone"))
    moved = []
    for cramp in Cramp.objects.filter(activity="night").iterator():
        zone = zoneinfo.ZoneInfo(zones.get(cramp.user_id) or settings.TIME_ZONE)
        local = cramp.started_at.astimezone(zone)
        if NIGHT_ENDS_HOUR <= local.hour < ASLEEP_NIGHT_ENDS_HOUR:
            day = local.date() - timedelta(days=1)
            if cramp.day != day:
                cramp.day = day
                moved.append(cramp)
    Cramp.objects.bulk_update(moved, ["day"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0008_profile_revision")]

    operations = [migrations.RunPython(move_late_night_cramps, migrations.RunPython.noop)]

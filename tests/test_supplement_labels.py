"""Supplement labels as people read them: vitamin D in µg or IU, the forms of the domain
brief with their shares, and B6, vitamin E, selenium and phosphorus with the upper limits
for the person's age, warned on the day page as on the report."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.report import MAGNESIUM, POTASSIUM, VITAMIN_B6, VITAMIN_D
from nutrients.supplements import COMPOUNDS, elemental_mg
from tracker.cramp_models import Supplement, SupplementIntake
from tracker.models import Profile

DAY = date(2026, 11, 22)


def add_label(client, ingredient, amount, name="Label"):
    return client.post(
        reverse("supplements"),
        {"name": name, "unit": "capsule", "ingredient": ingredient, "amount": amount},
    )


def test_vitamin_d_typed_in_iu_is_stored_in_micrograms(user_client, user):
    assert add_label(user_client, f"iu:{VITAMIN_D}", "1000").status_code == 302

    (amount,) = Supplement.objects.get(owner=user).amounts.all()
    assert (amount.nutrient_id, amount.amount) == (VITAMIN_D, Decimal("25.00"))
    page = user_client.get(reverse("supplements")).content.decode()
    assert "25 µg (1,000 IU) vitamin d per capsule" in page  # both units, as labels give them


def test_vitamin_d_in_micrograms_stays_as_typed_and_a_large_iu_label_is_taken(user_client, user):
    add_label(user_client, f"nutrient:{VITAMIN_D}", "25", name="D3 25")
    add_label(user_client, f"iu:{VITAMIN_D}", "50000", name="D3 50,000 IU")  # 1,250 µg

    amounts = {s.name: s.amounts.get().amount for s in Supplement.objects.filter(owner=user)}
    assert amounts == {"D3 25": Decimal("25.00"), "D3 50,000 IU": Decimal("1250.00")}


@pytest.mark.parametrize(
    ("key", "share"),
    [("magnesium_hydroxide", "0.42"), ("magnesium_malate", "0.15"),
     ("magnesium_chloride", "0.12"), ("magnesium_threonate", "0.07"),
     ("calcium_citrate_malate", "0.23"), ("potassium_citrate", "0.36"),
     ("potassium_gluconate", "0.17"), ("potassium_bicarbonate", "0.39")],
)  # fmt: skip
def test_the_forms_of_the_brief_have_their_elemental_shares(key, share):
    assert COMPOUNDS[key][2] == Decimal(share)
    assert elemental_mg(key, Decimal(1000))[1] == Decimal(share) * 1000


def test_every_form_of_the_brief_is_offered():
    assert len(COMPOUNDS) == 12 + 6 + 4
    assert {nutrient for _, nutrient, _ in COMPOUNDS.values()} == {
        MAGNESIUM, POTASSIUM, 1087,
    }  # fmt: skip


def test_a_b6_product_over_a_teens_limit_warns_on_the_day_page_and_the_report(
    user_client, user, foods
):
    profile = Profile.of(user)
    profile.birth_year, profile.birth_month, profile.sex = DAY.year - 10, 1, "male"
    profile.save()
    add_label(user_client, f"nutrient:{VITAMIN_B6}", "100", name="B6 100")
    SupplementIntake.objects.create(
        user=user, day=DAY, supplement=Supplement.objects.get(owner=user), count=1
    )

    day_page = user_client.get(reverse("tracker:day", args=[DAY])).content.decode()
    report = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()

    warning = "Vitamin B6 from food and supplements together: 100 mg, over the upper limit of 60 mg a day (9–13 years)."
    assert warning in day_page
    assert warning in report

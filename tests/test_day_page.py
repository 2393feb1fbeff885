"""The day page's navigation: any real date, previous and next, the date picker."""

import datetime as dt

import pytest
from django.urls import reverse


def test_a_day_page_shows_that_date_with_previous_and_next_links(user_client):
    response = user_client.get("/day/2026-03-01/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Sunday 1 March 2026" in content
    assert 'href="/day/2026-02-28/"' in content
    assert 'href="/day/2026-03-02/"' in content


@pytest.mark.parametrize(
    "url", ["/day/2026-02-30/", "/day/2026-13-01/", "/day/0001-01-01/", "/day/9999-12-31/"]
)
def test_an_impossible_or_absurd_date_is_not_found(user_client, url):
    assert user_client.get(url).status_code == 404


def test_the_date_picker_goes_to_the_chosen_day(user_client):
    response = user_client.get(reverse("tracker:today"), {"date": "2025-12-24"})

    assert response.status_code == 302
    assert response.url == reverse("tracker:day", kwargs={"day": dt.date(2025, 12, 24)})


def test_the_date_picker_explains_a_bad_date(user_client):
    response = user_client.get(reverse("tracker:today"), {"date": "24/12/2025"}, follow=True)

    assert response.status_code == 200
    assert "is not a date the diary can show" in response.content.decode()

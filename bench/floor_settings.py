"""The product's settings, serving bench/floor_urls.py: the product's URLs and the two
floor views of bench/pages.py."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"

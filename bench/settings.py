"""The portal's settings plus the bench's floor views (``bench.urls``); used only by ``bench.load``."""

from erozgar.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

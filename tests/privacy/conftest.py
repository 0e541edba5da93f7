"""The registry's named actors and private media (in a temporary folder) serve these tests too."""

from tests.freelancers.conftest import (  # noqa: F401
    freelancer,
    freelancer_client,
    outsider,
    private_media,
    reviewer,
    skills,
)

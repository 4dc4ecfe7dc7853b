"""Disclosure models: policy documents, interpretations and the catalogue (documents.py);
disclosure requests (requests.py)."""

from govportal.disclosure.models.documents import *  # noqa: F403
from govportal.disclosure.models.requests import *  # noqa: F403

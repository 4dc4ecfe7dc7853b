"""Monitoring models, one module per part: crawl results, the indicator table, supervision
(work orders, duty log, circulars, accountability) and integrity (tamper detection, availability).
"""

from govportal.monitoring.models.crawl import CrawlFinding, CrawlLink, CrawlPage, CrawlRun
from govportal.monitoring.models.indicator import Indicator
from govportal.monitoring.models.integrity import *  # noqa: F403
from govportal.monitoring.models.security import SecurityIncident
from govportal.monitoring.models.supervision import *  # noqa: F403

__all__ = ["CrawlFinding", "CrawlLink", "CrawlPage", "CrawlRun", "Indicator", "SecurityIncident"]

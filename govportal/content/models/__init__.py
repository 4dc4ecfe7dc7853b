from govportal.content.models.archive import ArchiveLog
from govportal.content.models.pages import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_TYPE_LABELS,
    ArticleAttachment,
    ArticlePage,
    HomePage,
)

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_TYPE_LABELS",
    "ArchiveLog",
    "ArticleAttachment",
    "ArticlePage",
    "HomePage",
]

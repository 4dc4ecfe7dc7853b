from govportal.content.models.archive import ArchiveLog
from govportal.content.models.pages import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_TYPE_LABELS,
    ArticleAttachment,
    ArticlePage,
    Attachment,
    HomePage,
)
from govportal.content.models.review import (
    GroupReviewTask,
    PageWithdrawal,
    ReviewApproval,
    ReviewEvent,
    UnitReviewTask,
)

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_TYPE_LABELS",
    "ArchiveLog",
    "ArticleAttachment",
    "ArticlePage",
    "Attachment",
    "GroupReviewTask",
    "HomePage",
    "PageWithdrawal",
    "ReviewApproval",
    "ReviewEvent",
    "UnitReviewTask",
]

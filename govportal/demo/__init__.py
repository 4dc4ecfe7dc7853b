"""The demo district: a fictional portal modelled on 渭滨区, built by `manage.py load_demo`.

Not a Django app: data (units, column tree, text vocabulary) and the builder that turns it into
pages, units, accounts and files. Everything is generated with a fixed random seed, so two loads
at the same moment give the same content; dates are relative to the time of loading.

Deliberate faults, so that the monitoring work has something real to find (第十四条 and the
national inspection indicators):

- Five stale columns (栏目不更新), a 单项否决 of the national indicators (5 or more):
  新闻 › 媒体聚焦 (`media`), 政务 › 重点领域信息公开 › 社会救助 (`social-assistance`),
  政务 › 人事信息 (`personnel`), 区情 › 文化旅游 (`culture-tourism`) and 政务 › 重点领域信息公开 ›
  教育领域 (`education-disclosure`); their ages are in demo/columns.py (STALE_COLUMNS).
- Exactly one empty column (空白栏目, 栏目有、内容无): 政务 › 建议提案办理 (`proposals`): no
  articles, no text, no subcolumns. Every other leaf column has articles or its own text.
- One archived special topic (第十五条): 专栏 › 创建全国文明城市 (`civilized-city`), archived
  about a month after its last article, with an entry in the archive log.

- Interaction, disclosure and supervision faults planted by the demo parts (builder.DEMO_PARTS):
  overdue and escalated letters and a valid letter unanswered for more than 3 months (mailbox),
  overdue disclosure requests, a survey still owing its feedback, knowledge entries past their
  validity. With these the demo district's verdict is 不合格 (demo/supervision.py runs the first
  daily check); monitoring/tests/test_demo_verdict.py fixes them and sees the vetoes go.

Every other column with a freshness class has an article well inside its class.
"""

from govportal.demo.columns import EMPTY_COLUMNS, STALE_COLUMNS

__all__ = ["ARCHIVED_TOPIC", "EMPTY_COLUMN", "EMPTY_COLUMNS", "STALE_COLUMNS"]

EMPTY_COLUMN = EMPTY_COLUMNS[0]
ARCHIVED_TOPIC = "civilized-city"

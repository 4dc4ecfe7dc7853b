"""The demo district: a fictional portal modelled on 渭滨区, built by `manage.py load_demo`.

Not a Django app: data (units, column tree, text vocabulary) and the builder that turns it into
pages, units, accounts and files. Everything is generated with a fixed random seed, so two loads
at the same moment give the same content; dates are relative to the time of loading.

Deliberate faults, so that the monitoring work has something real to find (第十四条 and the
national inspection indicators):

- Stale columns (栏目不更新):
  - 新闻 › 媒体聚焦 (`media`, kind 动态要闻, class 2 weeks): newest article about 2 months old.
  - 政务 › 重点领域信息公开 › 社会救助 (`social-assistance`, kind 通知公告, class 6 months):
    newest article about 8 months old.
  - 政务 › 人事信息 (`personnel`, kind 人事/规划计划, class 1 year): newest about 14 months old.
- Exactly one empty column (空白栏目, 栏目有、内容无): 政务 › 建议提案办理 (`proposals`): no
  articles, no text, no subcolumns. Every other leaf column has articles or its own text.
- One archived special topic (第十五条): 专栏 › 创建全国文明城市 (`civilized-city`), archived
  about a month after its last article, with an entry in the archive log.

Every other column with a freshness class has an article well inside its class.
"""

STALE_COLUMNS = ("media", "social-assistance", "personnel")
EMPTY_COLUMN = "proposals"
ARCHIVED_TOPIC = "civilized-city"

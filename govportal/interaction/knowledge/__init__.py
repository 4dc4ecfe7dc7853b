"""knowledge: the 知识库 and the answer bot (第十条(二)). See docs/knowledge.md."""

from govportal.accounts.roles import Role

# Merged by InteractionConfig.role_permissions: the operator (运维监管) keeps the knowledge base.
# The unanswered questions are logged by the bot, never added by hand (no add permission).
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.OPERATOR: [
        ("interaction", "add_knowledgeentry"),
        ("interaction", "change_knowledgeentry"),
        ("interaction", "delete_knowledgeentry"),
        ("interaction", "view_knowledgeentry"),
        ("interaction", "add_knowledgetopic"),
        ("interaction", "change_knowledgetopic"),
        ("interaction", "view_knowledgetopic"),
        ("interaction", "change_unansweredquestion"),
        ("interaction", "view_unansweredquestion"),
        ("interaction", "delete_unansweredquestion"),
    ]
}

"""Annual reports and statistics: the annual disclosure report (政府信息公开工作年度报告)."""

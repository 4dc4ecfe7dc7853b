"""Admin forms of the annual disclosure report: create, and edit (text plus every table cell)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from govportal.core.models import Unit
from govportal.reports import tables
from govportal.reports.models import DisclosureReport
from govportal.reports.rules import PublisherKind


def field_name(table: str, key: str) -> str:
    return f"{table}__{key.replace('.', '__')}"


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(
        label="报告年度",
        error_messages={"required": "请填写报告年度。", "invalid": "报告年度须为四位数字年份。"},
    )
    publisher_kind = forms.ChoiceField(
        label="发布主体",
        choices=PublisherKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择发布主体。", "invalid_choice": "请选择发布主体。"},
    )
    unit = forms.ModelChoiceField(
        label="部门或单位",
        queryset=Unit.objects.all(),
        required=False,
        help_text="发布主体为部门或单位时必选（1月31日前公布）；区人民政府的报告3月31日前公布。",
        error_messages={"invalid_choice": "所选部门或单位不存在，请重新选择。"},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", today.year - 1)
            self.initial.setdefault("publisher_kind", PublisherKind.DISTRICT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("publisher_kind") == PublisherKind.UNIT and not data.get("unit"):
            self.add_error("unit", "部门或单位的年度报告须选择部门或单位。")
        return data


class ReportEditForm(forms.Form):
    """The three text sections, the fee amount of 六, and one field per table cell.

    Each cell's errors name the cell (“表三“自然人·（七）总计”……”), and the sums are checked by
    tables.totals_check, the rule the publish step applies too.
    """

    overview = forms.CharField(label="一、总体情况", required=False, widget=forms.Textarea)
    problems = forms.CharField(
        label="五、存在的主要问题及改进情况", required=False, widget=forms.Textarea
    )
    other_matters = forms.CharField(
        label="六、其他需要报告的事项", required=False, widget=forms.Textarea
    )
    fees_collected = forms.DecimalField(
        label="本年收取信息处理费（元）",
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "请填写本年收取的信息处理费，没有收取请填 0。",
            "invalid": "信息处理费须为数字（单位：元）。",
            "min_value": "信息处理费不能为负数。",
            "max_decimal_places": "信息处理费最多保留 2 位小数（元）。",
            "max_digits": "信息处理费数额过大。",
        },
    )

    def __init__(self, *args: Any, report: DisclosureReport | None = None, **kwargs: Any) -> None:
        if report is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(report)
        super().__init__(*args, **kwargs)
        for table, keys in tables.TABLES.items():
            for key in keys:
                label = tables.cell_label(table, key)
                attrs = {"aria-label": label, "class": "report-cell"}
                if table == "proactive" and key == tables.FEES:
                    self.fields[field_name(table, key)] = forms.DecimalField(
                        label=label,
                        min_value=Decimal("0"),
                        max_digits=14,
                        decimal_places=tables.FEES_PLACES,
                        widget=forms.TextInput(attrs={**attrs, "inputmode": "decimal"}),
                        error_messages={
                            "required": f"{label}未填写，没有发生请填 0。",
                            "invalid": f"{label}须为数字（单位：万元）。",
                            "min_value": f"{label}不能为负数。",
                            "max_decimal_places": f"{label}最多保留 {tables.FEES_PLACES} 位小数（万元）。",
                            "max_digits": f"{label}数额过大。",
                            "max_whole_digits": f"{label}数额过大。",
                        },
                    )
                else:
                    self.fields[field_name(table, key)] = forms.IntegerField(
                        label=label,
                        min_value=0,
                        widget=forms.TextInput(attrs={**attrs, "inputmode": "numeric"}),
                        error_messages={
                            "required": f"{label}未填写，没有发生请填 0。",
                            "invalid": f"{label}须为整数。",
                            "min_value": f"{label}不能为负数。",
                        },
                    )

    @staticmethod
    def initial_from(report: DisclosureReport) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "overview": report.overview,
            "problems": report.problems,
            "other_matters": report.other_matters,
            "fees_collected": report.fees_collected,
        }
        for table, values in report.tables_dict().items():
            for key in tables.TABLES[table]:
                initial[field_name(table, key)] = values.get(key)
        return initial

    def tables_data(self) -> dict[str, dict[str, Any]]:
        """The cleaned cells as tables ("row.column" → value); only after is_valid()."""
        out: dict[str, dict[str, Any]] = {}
        for table, keys in tables.TABLES.items():
            out[table] = {}
            for key in keys:
                value = self.cleaned_data.get(field_name(table, key))
                if table == "proactive" and key == tables.FEES and value is not None:
                    value = str(value)
                out[table][key] = value
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(field_name(t, k) in self.errors for t, keys in tables.TABLES.items() for k in keys):
            return data  # the sums mean nothing until every cell is a valid number
        for problem in tables.totals_check(self.tables_data()):
            self.add_error(None, problem.message)
            for table, key in problem.cells:
                name = field_name(table, key)
                if name in self.fields and name not in self.errors:
                    self.add_error(name, "与其他单元格的合计关系不符，见页首说明。")
        return data

    def cell_fields(self) -> dict[tuple[str, str], forms.BoundField]:
        return {(t, k): self[field_name(t, k)] for t, keys in tables.TABLES.items() for k in keys}

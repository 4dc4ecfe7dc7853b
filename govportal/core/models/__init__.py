from govportal.core.models.calendar import CalendarDay, CalendarDayKind, CalendarYear
from govportal.core.models.columns import (
    ArchivableMixin,
    ColumnKind,
    ColumnPage,
    column_content_models,
    register_column_content,
    responsible_unit_ids,
)
from govportal.core.models.site import SiteIdentity
from govportal.core.models.units import Unit, UnitGroup, UnitKind, UnitRole, phone_validator

__all__ = [
    "ArchivableMixin",
    "CalendarDay",
    "CalendarDayKind",
    "CalendarYear",
    "ColumnKind",
    "ColumnPage",
    "SiteIdentity",
    "Unit",
    "UnitGroup",
    "UnitKind",
    "UnitRole",
    "column_content_models",
    "phone_validator",
    "register_column_content",
    "responsible_unit_ids",
]

from govportal.core.models.calendar import CalendarDay, CalendarDayKind, CalendarYear
from govportal.core.models.columns import ArchivableMixin, ColumnKind, ColumnPage
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
    "phone_validator",
]

"""Pages of a list: two queries (the count and the page), whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.parsing import arg_page

T = TypeVar("T")
PER_PAGE = 25


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def requested_page() -> int:
    """The ``page`` query argument, 1 when it is missing or not a positive number."""
    return arg_page()


def paginate(
    session: Session, statement: Any, *, page: int, per_page: int = PER_PAGE, scalars: bool = True
) -> Page[Any]:
    """Run ``statement`` for one page; a page past the end shows the last one."""
    total = session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    query = statement.limit(per_page).offset((page - 1) * per_page)
    result = session.execute(query)
    items = list(result.scalars().all()) if scalars else list(result.all())
    return Page(items=items, page=page, per_page=per_page, total=total)

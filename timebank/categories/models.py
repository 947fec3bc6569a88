"""Categories of help, shared by exchanges, abilities and reports.

Design note: the database holds only stable codes and the tree; labels live in ``taxonomy.py`` as
translatable strings, so English and Welsh come from the same message catalogue as the rest of the
app. Codes are never reused or deleted: a retired category is marked inactive.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import intpk

#: The longest category code (the API's limit for a code is this one).
MAX_CODE = 60


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(sa.String(MAX_CODE), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    @property
    def label(self) -> str:
        from timebank.categories.taxonomy import label_for

        return label_for(self.code)

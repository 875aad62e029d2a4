"""Partner banks, as data."""

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Bank(Base):
    """A partner bank and its share of the guarantee fund's capacity."""

    __tablename__ = "banks"
    __table_args__ = (
        CheckConstraint("capacity_share_bp BETWEEN 0 AND 10000", name="share_range"),
    )

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    # Basis points of the fund's leverage cap allocated to this bank (6000 = 60%).
    capacity_share_bp: Mapped[int] = mapped_column(Integer)

"""The two money operations the programme's rules need: rounding to the fen, ratios, yuan to fen.

Amounts are integer fen; a computed share or interest is a Decimal rounded half up to a
whole fen, never a float. `creditsvc.core.money` re-exports these, so there is one rounding.
"""

from decimal import ROUND_HALF_UP, Decimal

RATIO_PLACES = Decimal("0.0001")


class MoneyError(ValueError):
    """A value that is not an amount of money."""


def whole_fen(amount_fen: Decimal) -> int:
    """A computed amount in fen (interest, a share) rounded to a whole fen, half up as banks do."""
    return int(amount_fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio(part: int, whole: int) -> Decimal | None:
    """PART / WHOLE to four decimals (0.0523 = 5.23%), or None when WHOLE is zero."""
    return (Decimal(part) / whole).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP) if whole else None


def share_of_fen(amount_fen: int, share: Decimal) -> int:
    """SHARE of an amount in fen (a loss share, the subsidy share), half up to the fen."""
    return whole_fen(Decimal(amount_fen) * share)


def to_fen(amount: Decimal) -> int:
    """Yuan (Decimal) to integer fen; refuses sub-fen amounts."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise MoneyError("amount has a fraction of a fen")
    return int(fen)

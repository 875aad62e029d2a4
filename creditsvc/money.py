"""Money: Decimal yuan in Python, integer fen in the database. Never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


class MoneyError(ValueError):
    """A value that is not an amount of money."""


def parse_yuan(value: str | Decimal | int) -> Decimal:
    """Parse a decimal string in yuan with at most two decimals; floats are refused."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError('money must be a decimal string such as "1234.50"')
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise MoneyError(f"not a decimal amount: {value!r}") from exc
    if not amount.is_finite():
        raise MoneyError("money must be finite")
    if amount != amount.quantize(FEN):
        raise MoneyError("money has at most two decimals (fen)")
    return amount.quantize(FEN)


def to_fen(amount: Decimal) -> int:
    """Yuan (Decimal) to integer fen; refuses sub-fen amounts."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise MoneyError("amount has a fraction of a fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """Integer fen to Decimal yuan with two decimals."""
    return (Decimal(fen) / 100).quantize(FEN)


def whole_fen(amount_fen: Decimal) -> int:
    """A computed amount in fen (interest, a share) rounded to a whole fen, half up as banks do."""
    return int(amount_fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio(part: int, whole: int) -> Decimal | None:
    """PART / WHOLE to four decimals (0.0523 = 5.23%), or None when WHOLE is zero."""
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if whole else None


def fmt_yuan(fen: int | None) -> str | None:
    """Integer fen as the API's decimal string, e.g. 5000000 -> '50000.00'."""
    return None if fen is None else f"{from_fen(fen):.2f}"

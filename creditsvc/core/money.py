"""Money: Decimal yuan in Python, integer fen in the database. Never float."""

from decimal import Decimal, InvalidOperation

from lending.money import MoneyError, ratio, to_fen, whole_fen

__all__ = ["FEN", "MoneyError", "fmt_yuan", "from_fen", "parse_yuan", "ratio", "to_fen", "whole_fen"]

FEN = Decimal("0.01")


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


def from_fen(fen: int) -> Decimal:
    """Integer fen to Decimal yuan with two decimals."""
    return (Decimal(fen) / 100).quantize(FEN)


def fmt_yuan(fen: int | None) -> str | None:
    """Integer fen as the API's decimal string, e.g. 5000000 -> '50000.00'."""
    return None if fen is None else f"{from_fen(fen):.2f}"

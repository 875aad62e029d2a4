"""An export's own fields (the list's filters are the list's schema): reveal, and why."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from creditsvc.core.refusals import said
from creditsvc.schemas.fields import Day, FreeText
from creditsvc.services.exports.run import MIN_REASON

LEDGER_KINDS = ("contribution", "deposit_interest", "claim_draw", "recovery",
                "reversal:contribution", "reversal:deposit_interest", "reversal:claim_draw")


class ExportInSchema(Schema):
    """Reveal the personal data in this export (officers only), with the reason (audited)."""

    reveal = fields.Boolean(load_default=False, metadata={
        "description": "names, ID numbers and phones in clear; audited with the reason"})
    reason = FreeText(min_length=MIN_REASON, max_length=200, metadata={
        "description": "why the clear values are needed: at least 8 characters"})

    @validates_schema
    def _reason_with_reveal(self, data, **_):
        if data.get("reveal") and not data.get("reason"):
            raise ValidationError(said("export_reveal_reason_required", least=MIN_REASON),
                                  "reason")


class RevealQuerySchema(Schema):
    """An export through the API: a reason reveals the personal data (officers; audited)."""

    reveal_reason = FreeText(min_length=MIN_REASON, max_length=200, metadata={
        "description": "reveal names, ID numbers and phones in this export, for this reason "
                       "(officers only; audited with the row count and the file's SHA-256)"})


class LedgerExportQuerySchema(Schema):
    """The fund's ledger as exported: by kind of entry and a range of effective dates."""

    kind = fields.String(validate=validate.OneOf(LEDGER_KINDS))
    start = Day()
    end = Day()

"""One way to write money: whole Pakistani rupees, "Rs 1,000" (Urdu: "1,000 روپے").

Every page, email, option label and message formats an amount through ``rupees`` (templates
through the ``pkr`` filter), so "Rs 1000" and "Rs 1,000" never meet on one screen.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def rupees(amount: int | None) -> str:
    """ "Rs 3,500" in English, "3,500 روپے" in Urdu; empty for no amount."""
    if amount is None:
        return ""
    return _("Rs %(amount)s") % {"amount": f"{amount:,}"}

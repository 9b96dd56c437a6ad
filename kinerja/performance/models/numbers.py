"""The precision of the stored performance numbers, one module that every model module imports.

Targets, actuals, achievements and scores: twenty digits, four of them after the comma. Rupiah
amounts (pagu, spending): eighteen digits, two after the comma. Given as keyword arguments
(``max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES``) so that each field's type is checked.
"""

MAX_DIGITS = 20
DECIMAL_PLACES = 4
MONEY_DIGITS = 18
MONEY_PLACES = 2

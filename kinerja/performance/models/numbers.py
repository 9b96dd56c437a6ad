"""The precision every stored performance number shares (targets, actuals, achievements, scores).

Twenty digits, four of them after the comma. A module of its own, so that each model module uses it
without importing another one.
"""

MAX_DIGITS = 20
DECIMAL_PLACES = 4

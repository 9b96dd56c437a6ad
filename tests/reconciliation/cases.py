"""What the reconciliation covers: every demo office, and the years and periods it has data for."""

OFFICES = ("DKUKMTK-BLG", "DINKES-BLG", "KTT_BLG", "ADPIM-KALBAR")
LKJIP_YEARS = (2023, 2024)  # the years with actuals in the demo
PERIODS = ("2023-Q4", "2024-Q2")  # a year end and a quarter inside a year
PK_YEARS = (2024, 2025)  # the years with a PK in the demo

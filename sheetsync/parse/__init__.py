"""Raw cells → typed rows, with a Problem naming each cell that cannot be read.

One module per sheet family, named like the engine module that computes on it:

    parse/schedule.py    Timeline             → engine/schedule.py
    parse/reviews.py     Reviews              → engine/reviews.py
    parse/compliance.py  Copy rules           → engine/compliance.py (+ compliance_rules.py: the packs)
    parse/raci.py        RACI and Team        → engine/raci.py
    parse/risks.py       Risks                → engine/risks.py
    parse/feedback.py    Feedback             → engine/feedback.py
    parse/project.py     Project (settings)   → engine/calendar.py, and settings for the others

Shared by all of them: parse/cells.py reads one cell value as a date, a number of
working days, a choice…; parse/table_view.py finds a contract sheet's header row and
columns (TableView, locate_table) in the raw cells of sheetsync/raw.py.
"""

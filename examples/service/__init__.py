"""An example ticket service on westcoast_rules: HTTP in front, a database behind.

``store`` keeps each ticket's history in a database through SQLAlchemy (SQLite by default,
PostgreSQL unchanged); ``app`` is the Starlette application that lodges tickets, applies events,
answers "due next" and "at risk" and advances tickets on a schedule. Run it with

    uvicorn --factory examples.service.app:create_app

The walk-through is docs/how-to/service.md; tests/test_service_example.py drives it over HTTP.
"""

"""Expenses and remuneration: members, claims and their workflow, flags, reports, import.

Headless (no Textual): the CLI, the app and the tests share it. Money is integer pence
throughout, worked out by sendtui.services.money, mileage and allowances. Member and payment
data are personal: nothing here logs them, and messages naming a member are returned to the
caller to show, never written anywhere else.
"""

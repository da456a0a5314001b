"""Helpers shared by the tests of every layer (import them as ``tests.helpers.<module>``; fixtures are in the
conftest.py files):

- ``fakes``: in-memory ports for the use-case tests; ``small_plan``: the plan they run on
- ``plan_files``: Word and Excel plans written with the real libraries
- ``returns``: the returns cycle (``Cycle``), and ways to fill in, damage and read back returns and masters
- ``reporting``: a master with a quarter's history, and readers of the Summary sheet, board report and pages
- ``summary``: the summary's oracle and generated registers (hypothesis)
- ``large``: a register of 20,000 actions, for the ``slow`` tests
- ``sheets``: what a person sees in a master, read independently with openpyxl
- ``officejs``, ``vba_host``: stand-ins for Excel's side of xlwings' remote engine and of the ribbon's VBA
- ``paths``: where the checkout's files are
"""

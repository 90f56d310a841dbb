"""A standalone HTML report on a ``proplens batch`` output table.

:func:`proplens.report.build.build_report` reads the table in one streaming
pass for the statistics (:mod:`.stats`), draws the charts as inline PNG images
(:mod:`.charts`), writes a highlighted page for each of the densest articles
(:mod:`.pages`, in a second pass) and assembles one HTML file with no external
assets (:mod:`.document`).
"""

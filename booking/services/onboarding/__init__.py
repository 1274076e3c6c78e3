"""Region onboarding (issue 16 item 4): a coordinator sets up a region's points, hours,
staff, schedules and agencies from one spreadsheet. ``sheets`` reads and checks the rows
(pure), ``files`` turns uploads into rows and rows into XLSX or CSV, ``store`` writes a
checked plan in one transaction and reads a region back in the same format."""

"""The live workbook in Excel, reached through xlwings: what the ribbon buttons work on."""

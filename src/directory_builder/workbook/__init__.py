"""Reading, writing and annotating the Excel workbook."""

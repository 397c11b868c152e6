"""The sign-off workbook: a plan exported to Excel for partners to check, sign and return."""

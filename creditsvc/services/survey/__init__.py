"""The survey import (调查导入): survey sheets in from a spreadsheet, checked, planned, written whole."""

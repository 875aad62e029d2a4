"""The synthetic demo zone: households, and a loan book made through the services."""

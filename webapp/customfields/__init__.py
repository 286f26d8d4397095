"""Custom fields per tenant: typed definitions, typed values the database can filter and sort."""

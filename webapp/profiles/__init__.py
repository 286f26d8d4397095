"""Marketing profile of a lead, and the staff's lead list and lead record pages."""

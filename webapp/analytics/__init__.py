"""First-party analytics: page views recorded on our own server (with analytics consent only),
daily roll-ups that outlive the 90-day raw data, and the staff dashboard."""

"""Call log: metadata of phone calls with leads (who, when, how long, recorded after an announcement)."""

"""Access reports and portability files for data subjects, built by jobs, downloaded by expiring links."""

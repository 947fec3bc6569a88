"""Running the app in production: health checks for the load balancer, migrations that several machines
may start at once, and backups that are proved by restoring them and verifying the books."""

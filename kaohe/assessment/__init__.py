"""What combines the apps, with no models of its own: the year's pages, import/export, commands."""

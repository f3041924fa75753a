enum PlaceholderFrontwatchDaemon {}

"""Regional oppfølging."""

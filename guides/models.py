"""Guide articles live here (see the guides issue); the app is wired in from the start."""

"""Sources turn raw input (export files, feeds, APIs) into Posts. One module per format or connector."""

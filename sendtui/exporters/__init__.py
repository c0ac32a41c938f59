"""Writers that turn an event (or claims) into files: JSON, Markdown, DOCX, HTML, CSV, XLSX."""

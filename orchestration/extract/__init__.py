"""Pure parsers: official files and API responses in, pandas DataFrames (values unchanged) out."""

"""Domain names: public suffixes, special-use names and RDAP registration data."""

"""Sample input that several test modules share."""

# A quote from the NSC programme that spans a line break in the source text.
QUOTE_ACROSS_LINES = (
    "Dat begint ermee dat boeren en tuinders een eerlijke\n  prijs ontvangen voor hun product."
)

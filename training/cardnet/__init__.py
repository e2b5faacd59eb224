"""cardnet: the small card-corner network behind cardscan-core's learned detector."""

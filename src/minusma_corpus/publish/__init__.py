"""Publishing the release: Arrow tables of the texts and of the annotations, the dataset card, Croissant,
the figure, checksums (``verify``) and the DATACARD statistics; ``build`` writes it all atomically."""

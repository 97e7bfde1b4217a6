"""Every export of the atlas: the offline bundle, the images of each year, the backup."""

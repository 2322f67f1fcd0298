window.GEOMAP_DATA_LATER = {"review":[]};

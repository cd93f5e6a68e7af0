"""Geometry out: file writers for a task's surveyed site (GeoJSON, GeoPackage, DXF, the PDF site drawing).

Writers take `sheets.TaskSheet`s, which the export service builds from the database, and never query it
themselves; every length they print is one `geo.measure` computed, so exports agree with /geo/measure.
"""

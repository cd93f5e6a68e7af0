"""What a device's edit of a survey conflicts with, described so an engineer sees what moved."""
import geo


def describe_conflict(field: str, server_value, device_value) -> dict:
    """Geometry conflicts carry the Hausdorff distance and moved vertices; other fields need no more."""
    if _is_geometry(server_value) and _is_geometry(device_value):
        return geo.compare_geometries(server_value, device_value)
    return {}


def _is_geometry(value) -> bool:
    return isinstance(value, dict) and "type" in value and "coordinates" in value

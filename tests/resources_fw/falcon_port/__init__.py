"""Source of a typical Falcon app and its tests, run on resources_fw by changing imports."""

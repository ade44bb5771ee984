// placeholder until h-emsp commits its examples test (not committed here)

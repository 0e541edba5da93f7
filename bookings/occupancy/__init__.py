"""Occupancy: booked and checked-in seat-hours over bookable seat-hours, per centre, space kind, day and hour.

``services.occupancy_compute`` writes one ``OccupancyHour`` row per open local hour (the beat
recomputes today and yesterday every 15 minutes); ``selectors.occupancy_summary`` rolls the rows
up in SQL by centre, city, province, tier, kind, day or hour for PSEB and for centre managers.
"""

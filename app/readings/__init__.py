"""Key workers' outcomes-wheel (star-type) readings with a young person: finding the young
person by the code they keep, recording a reading, their history and the wheel chart.

Nothing here reads the request or the session: pages pass in the signed-in person and the
instrument registry.
"""

"""Under `pytest -n 2` every xdist worker has a Redis database of its own (govportal/conftest.py)."""

import pytest

from govportal.conftest import redis_url_for_worker


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/0"),
        ("redis://127.0.0.1:6379/0", "gw1", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379", "gw1", "redis://127.0.0.1:6379/1"),
        ("redis://:secret@127.0.0.1:6380/3?ssl_cert_reqs=none", "gw1",
         "redis://:secret@127.0.0.1:6380/4?ssl_cert_reqs=none"),
        ("unix:///run/redis.sock?db=2", "gw1", "unix:///run/redis.sock?db=3"),
        ("unix:///run/redis.sock", "gw1", "unix:///run/redis.sock?db=1"),
    ],
)  # fmt: skip
def test_each_worker_moves_the_redis_database_number_up_by_its_own(
    url: str, worker: str, expected: str
) -> None:
    assert redis_url_for_worker(url, worker) == expected

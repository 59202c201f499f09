"""The job pool's children are set up once, before their first task, as the settings ask."""

from __future__ import annotations

from docuforge.config import Settings
from docuforge.jobs.processes import ProcessPool, child_setup


def blas_threads() -> list[int]:
    import numpy  # noqa: F401 - loads the BLAS that threadpoolctl reports on
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


async def test_a_child_embeds_with_the_blas_threads_the_settings_give() -> None:
    pool = ProcessPool(1, child_setup(Settings(embeddings={"threads": 1})))
    try:
        first = await pool.run(blas_threads)
        again = await pool.run(blas_threads)  # the same child: set up once, still so
    finally:
        pool.close()
    assert first and set(first) == {1} and again == first


async def test_two_threads_when_the_settings_say_two() -> None:
    pool = ProcessPool(1, child_setup(Settings(embeddings={"threads": 2})))
    try:
        threads = await pool.run(blas_threads)
    finally:
        pool.close()
    assert threads and set(threads) == {2}

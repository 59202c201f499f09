import pytest

# Before any of them is imported: asserts in the shared fixtures explain their failures too.
pytest.register_assert_rewrite("tests.fixtures")

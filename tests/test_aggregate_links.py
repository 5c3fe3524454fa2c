"""A repository's link: https on a known host, never credentials, nothing otherwise."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kigate.aggregate.links import web_link


@pytest.mark.parametrize(
    ("remote", "link"),
    [
        ("git@github.com:org/repo.git", "https://github.com/org/repo"),
        ("https://github.com/org/repo", "https://github.com/org/repo"),
        ("https://user:token@github.com/org/repo.git", "https://github.com/org/repo"),
        ("ssh://git@gitlab.com:2222/group/sub/repo.git", "https://gitlab.com/group/sub/repo"),
        ("http://GitLab.example.org/team/repo/", "https://gitlab.example.org/team/repo"),
        ("git@bitbucket.org:org/repo.git", "https://bitbucket.org/org/repo"),
        ("https://codeberg.org/org/repo.git", "https://codeberg.org/org/repo"),
        ("https://git.internal.example/org/repo.git", None),  # unknown host: no guess
        ("file:///srv/git/repo.git", None),
        ("/srv/git/repo.git", None),
        ("javascript:alert(1)//github.com/a/b", None),
        ("https://github.com/org/../../evil", None),
        ('https://github.com/org/repo"><script>', None),
        ("https://github.com/justone", None),
        ("https://[::1/x", None),
        ("https://gitlab.exämple.org/a/b", None),
        ("https://github.com/org/répo", None),
        ("", None),
        (None, None),
    ],
)
def test_web_link(remote: str | None, link: str | None) -> None:
    assert web_link(remote) == link


@given(
    st.text(max_size=80)
    | st.from_regex(
        r"(https?|ssh|git)://(github\.com|gitlab\.[^/]{1,9})/[^ ]{0,30}", fullmatch=True
    )
)
def test_a_link_is_always_plain_https_without_credentials(remote: str) -> None:
    link = web_link(remote)
    assert link is None or re.fullmatch(r"https://[a-z0-9_.-]+/[\w.~-]+(/[\w.~-]+)+", link, re.A)

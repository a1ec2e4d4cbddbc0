"""What a path on one of our machines looks like in published text (issue 25 item 9): no mart value may carry one.

An absolute path under a machine root (/work/, /home/, /tmp/, /Users/ ...) not preceded by a host name or another
path character, so 'https://example.org/home/x' and 'data/snapshot/...' (relative, repository paths) do not match."""

import re

LOCAL_ROOTS = ("work", "home", "tmp", "Users", "root", "mnt", "var", "private")
LOCAL_PATH = rf"(^|[^A-Za-z0-9._~:/-])/({'|'.join(LOCAL_ROOTS)})/"
LOCAL_PATH_RE = re.compile(LOCAL_PATH)


def has_local_path(text: str) -> bool:
    return bool(LOCAL_PATH_RE.search(text))

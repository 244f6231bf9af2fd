"""Where each record's page lives: file names, docs paths and URLs, one function each.

The docs tree that `render` writes and MkDocs reads (directory URLs):

    index.md                 home            /
    papers/index.md          all papers      papers/
    papers/<slug>.md         a paper         papers/<slug>/
    topics/index.md          all topics      topics/
    topics/<id>.md           a topic         topics/<id>/
    my-list.md               a reader's marks my-list/ (filled in the browser)
    paths/index.md           all reading paths paths/
    paths/<id>.md            a reading path  paths/<id>/
    <name>.md                a curator's page (content/pages/<name>.md)

The source of a paper is content/papers/<slug>.md; of a reading path, content/paths/<id>.yml.
Nothing here reads the disk.
"""

from __future__ import annotations

PAPERS_DIR = "papers"
PAGES_DIR = "pages"
TOPICS_DIR = "topics"
PATHS_DIR = "paths"
PATH_SUFFIX = ".yml"
SUFFIX = ".md"
#: The list of reading paths, in the docs tree.
PATHS_INDEX = f"{PATHS_DIR}/index{SUFFIX}"


def paper_file(slug: str) -> str:
    """The name of a paper's source file in content/papers/."""
    return f"{slug}{SUFFIX}"


def slug_of(file_name: str) -> str:
    """The slug of a paper's source file name (the inverse of `paper_file`)."""
    return file_name.removesuffix(SUFFIX)


def paper_path(slug: str) -> str:
    """Where a paper's page goes in the docs tree."""
    return f"{PAPERS_DIR}/{slug}{SUFFIX}"


def paper_url(slug: str) -> str:
    """A paper page's URL, relative to the site root."""
    return f"{PAPERS_DIR}/{slug}/"


def topic_path(topic_id: str) -> str:
    """Where a topic's page goes in the docs tree."""
    return f"{TOPICS_DIR}/{topic_id}{SUFFIX}"


def topic_url(topic_id: str) -> str:
    """A topic page's URL, relative to the site root."""
    return f"{TOPICS_DIR}/{topic_id}/"


def slug_of_path(path: str) -> str | None:
    """The slug of the paper whose page is at docs path `path`, or None for any other file."""
    head, _, name = path.partition("/")
    if head != PAPERS_DIR or "/" in name or not name.endswith(SUFFIX) or name == f"index{SUFFIX}":
        return None
    return slug_of(name)


def path_path(path_id: str) -> str:
    """Where a reading path's page goes in the docs tree."""
    return f"{PATHS_DIR}/{path_id}{SUFFIX}"


def path_url(path_id: str) -> str:
    """A reading path page's URL, relative to the site root."""
    return f"{PATHS_DIR}/{path_id}/"

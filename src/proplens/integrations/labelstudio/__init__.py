"""Label Studio: correct proplens' spans by hand, then train on the corrections.

- ``config``: the labeling config (a ``Text`` object and ``Labels`` with the techniques)
- ``tasks``: articles and proplens' spans -> Label Studio tasks with pre-annotations
- ``corrections``: Label Studio's JSON export -> a PTC-layout folder for ``proplens train``

Label Studio counts offsets in UTF-16 code units; both directions convert with
:mod:`proplens.integrations.utf16`.
"""

from proplens.integrations.labelstudio.config import TAXONOMIES, labeling_config
from proplens.integrations.labelstudio.corrections import ImportSummary, import_export
from proplens.integrations.labelstudio.tasks import article_task, articles_to_tasks

__all__ = [
    "TAXONOMIES",
    "ImportSummary",
    "article_task",
    "articles_to_tasks",
    "import_export",
    "labeling_config",
]
